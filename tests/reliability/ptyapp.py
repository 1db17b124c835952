"""The real app in a real pseudo-terminal: a child process we can type into and signal.

``PtyApp`` forks ``python -m micro_journal`` on a pty (the child is a session leader
with the pty as its controlling terminal, as under a terminal emulator), reads what it
draws in a background thread, and lets a test type keys, send signals or hang up.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import re
import signal
import struct
import sys
import termios
import threading
import time
from pathlib import Path

ANSI = re.compile(
    rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>78]|\x1b\][^\x07]*\x07"
)

ALT_SCREEN_ON = b"\x1b[?1049h"
ALT_SCREEN_OFF = b"\x1b[?1049l"
CURSOR_SHOW = b"\x1b[?25h"


class PtyApp:
    def __init__(
        self, args: list[str], env: dict[str, str], cwd: Path, size: tuple[int, int] = (120, 40)
    ) -> None:
        self.output = bytearray()
        self._lock = threading.Lock()
        cols, rows = size
        pid, fd = pty.fork()
        if pid == 0:  # the child: becomes the app
            try:
                fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
                os.chdir(cwd)
                os.execve(sys.executable, [sys.executable, "-m", "micro_journal", *args], env)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        self.status: int | None = None
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                return  # EIO: the child side is closed
            if not chunk:
                return
            with self._lock:
                self.output += chunk

    # ------------------------------------------------------------------ looking
    def raw(self) -> bytes:
        with self._lock:
            return bytes(self.output)

    def text(self) -> str:
        """What was drawn, escape sequences removed (words may still be split by moves)."""
        return ANSI.sub(b"", self.raw()).decode("utf-8", "replace")

    def wait_for(self, needle: str | bytes, timeout: float = 20.0, *, since: int = 0) -> None:
        want = needle.encode() if isinstance(needle, str) else needle
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            data = self.raw()[since:]
            if want in data or want in ANSI.sub(b"", data):
                return
            if self.poll() is not None:
                break
            time.sleep(0.05)
        tail = self.text()[-2000:]
        raise AssertionError(
            f"{needle!r} never appeared (exit {self.status}); last output:\n{tail}"
        )

    # ------------------------------------------------------------------ acting
    def type(self, keys: str, pause: float = 0.0) -> None:
        for key in keys:
            os.write(self.fd, key.encode())
            if pause:
                time.sleep(pause)

    def press(self, key: str) -> None:
        os.write(self.fd, key.encode())

    def signal(self, sig: int) -> None:
        os.kill(self.pid, sig)

    def hang_up(self) -> None:
        """Close the terminal, as closing the window does (the kernel sends SIGHUP)."""
        with contextlib.suppress(OSError):
            os.close(self.fd)
        self.fd = -1

    # ------------------------------------------------------------------ ending
    def poll(self) -> int | None:
        if self.status is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = status
        return self.status

    def wait(self, timeout: float = 20.0) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.poll() is not None:
                self._reader.join(timeout=2)
                return self.status
            time.sleep(0.05)
        raise AssertionError(f"the app did not exit within {timeout}s:\n{self.text()[-2000:]}")

    def exit_code(self) -> int:
        status = self.wait()
        if os.WIFSIGNALED(status):
            return -os.WTERMSIG(status)
        return os.WEXITSTATUS(status)

    def kill(self) -> None:
        if self.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            self.wait()

    def close(self) -> None:
        self.kill()
        if self.fd >= 0:
            with contextlib.suppress(OSError):
                os.close(self.fd)
            self.fd = -1
