"""Scanners (serial bridge, keyboard wedge), receipt outputs, the device settings dialog."""
