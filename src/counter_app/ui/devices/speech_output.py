"""Spoken confirmation in the UI: one ``SpeechOutput`` per program (counter session or
kiosk) follows the ``speech`` setting. The voice is looked for on a thread of its own
(the engine's voice list is a subprocess) and speaking runs on speech.Speaker's thread:
the GUI thread never waits for either."""

from __future__ import annotations

import itertools
import threading

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal

from counter_app import speech


class _Relay(QObject):
    """Lives for the whole process on the GUI thread: a probe thread always emits to it,
    never to a SpeechOutput (or its dialog) that the GUI thread may be deleting."""

    found = Signal(int, object)

    def __init__(self):
        super().__init__()
        self.pending: dict[int, SpeechOutput] = {}
        self.tickets = itertools.count(1)
        self.found.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def _deliver(self, ticket: int, voice) -> None:
        output = self.pending.pop(ticket, None)
        if output is not None and shiboken6.isValid(output):
            output._voice_found(voice, ticket)


_relay: _Relay | None = None


class SpeechOutput(QObject):
    ready = Signal(object)  # the speech.Voice found, or None (no voice installed)

    def __init__(self, parent=None, find_voice=speech.find_voice, run=None):
        super().__init__(parent)
        self._find_voice = find_voice
        self._run = run  # subprocess.run for the Speaker (tests pass a recording one)
        self.enabled = False
        self.voice: speech.Voice | None = None
        self.speaker: speech.Speaker | None = None
        self.looked = False  # a search for the voice has finished
        self._generation = 0  # the ticket of the latest probe

    def apply_settings(self, settings) -> None:
        """Start or stop speaking as the saved ``speech`` setting says."""
        if bool(settings.speech) == self.enabled and (self.looked or not self.enabled):
            return
        self.enabled = bool(settings.speech)
        if self.enabled:
            self.probe()
        else:
            self._stop()

    def probe(self) -> None:
        """Look for the voice in the background; ``ready`` says what was found."""
        global _relay
        if _relay is None:  # first use, on the GUI thread
            _relay = _Relay()
        relay, find = _relay, self._find_voice
        ticket = self._generation = next(relay.tickets)
        relay.pending[ticket] = self

        def look():
            relay.found.emit(ticket, find())

        threading.Thread(target=look, name="counter-speech-probe", daemon=True).start()

    def _voice_found(self, voice, gen: int) -> None:
        if gen != self._generation:
            return
        self.looked = True
        self.voice = voice
        if self.enabled and voice is not None and self.speaker is None:
            kwargs = {"run": self._run} if self._run is not None else {}
            self.speaker = speech.Speaker(voice, **kwargs)
        self.ready.emit(voice)

    def say(self, text: str) -> None:
        if self.enabled and self.speaker is not None:
            self.speaker.say(text)

    def redeemed(self, receipt) -> None:
        self.say(speech.redemption_text(receipt.total, receipt.balance_after))

    def refused(self, _why: str) -> None:
        self.say(speech.refused_text())

    def _stop(self) -> None:
        self._generation = -1  # a probe still running is not wanted any more
        speaker, self.speaker = self.speaker, None
        if speaker is not None:
            speaker.close()

    def shutdown(self) -> None:
        self.enabled = False
        self._stop()
