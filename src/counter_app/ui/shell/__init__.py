"""The frame around the pages: session, log-in, main window, settings, first run, screenshots."""
