"""Badge text made safe to show: no bidi spoofing, no invisible or control characters, no terminal escapes.

Everything a badge says is chosen by whoever made the file. Shown as it is:

* bidirectional overrides and isolates (U+202A–202E, U+2066–2069, U+200E/200F, U+061C) reorder what
  a reader sees ("gpj.exe" shown as "exe.jpg", an issuer name read backwards);
* C0/C1 control characters include ESC and CSI, which a terminal obeys (clear the screen, rewrite
  the previous line with "valid", set the window title, hyperlinks via OSC 8);
* invisible characters (zero-width space, BOM, Unicode tag characters) hide text from the reader.

:func:`display_text` removes them for a page; :func:`terminal_text` also makes any remaining
control character visible as ``\\xNN`` for a terminal (newlines and tabs kept), and is applied to
everything the command-line tools print. Zero-width joiners (U+200C/U+200D) are kept: scripts and
emoji sequences need them.
"""
from __future__ import annotations

import contextlib
import io
import os
import re
import sys
from collections.abc import Iterator
from typing import Any, TextIO

_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_INVISIBLE = "\u200b\u2060\u2061\u2062\u2063\u2064\ufeff\u00ad\u180e"
_STRIP = re.compile(f"[{_BIDI}{_INVISIBLE}\U000e0000-\U000e007f]")
# C0 except tab/newline, DEL, C1 (U+0080–U+009F), and the line/paragraph separators.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SEPARATORS = re.compile("[\u2028\u2029\r]")
_TERMINAL_UNSAFE = re.compile(f"[{_BIDI}{_INVISIBLE}\U000e0000-\U000e007f\u2028\u2029\r\x00-\x08\x0b-\x1f\x7f-\x9f]")
_JSON_UNSAFE = re.compile(f"[\x7f-\x9f{_BIDI}{_INVISIBLE}\u2028\u2029\U000e0000-\U000e007f]")
_PLAIN_ASCII = bytes(range(0x20, 0x7f)) + b"\t\n"  # printable ASCII, tab, newline: never changed


def _may_change(pattern: re.Pattern[str], text: str) -> bool:
    """Whether ``pattern`` matches in ``text``, looking only at its characters that are not plain ASCII.

    Every character the patterns here match is a control or non-ASCII character, so it is among those
    left once the plain ASCII bytes are deleted from the UTF-8 form (C-speed, where a regex scan of a
    few megabytes of listing takes a quarter of a second); the few left are searched as text."""
    rest = text.encode("utf-8", "surrogatepass").translate(None, _PLAIN_ASCII)
    return bool(rest) and pattern.search(rest.decode("utf-8", "surrogatepass")) is not None


def display_text(value: object) -> str:
    """``value`` as text with bidi controls, invisible characters and control characters removed
    (a carriage return or line separator becomes a space)."""
    text = "" if value is None else str(value)
    text = _SEPARATORS.sub(" ", text)
    text = _STRIP.sub("", text)
    return _CONTROL.sub("", text)


def terminal_text(value: object) -> str:
    """``value`` safe to print on a terminal: bidi and invisible characters removed, every control
    character except newline and tab shown as ``\\xNN`` (so an escape sequence is seen, not obeyed)."""
    text = "" if value is None else str(value)
    if not _may_change(_TERMINAL_UNSAFE, text):
        return text
    text = _STRIP.sub("", text)
    text = _SEPARATORS.sub(lambda m: f"\\u{ord(m.group()):04x}" if m.group() != "\r" else "\\r", text)
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def json_text(text: str) -> str:
    """A JSON document (``json.dumps(..., ensure_ascii=False)``) with C1, bidi and invisible characters
    written as ``\\uXXXX`` escapes: still the same JSON, but nothing a terminal or editor acts on.
    (``json.dumps`` already escapes C0 controls such as ESC.)"""
    if not _may_change(_JSON_UNSAFE, text):
        return text

    def escape(m: re.Match[str]) -> str:
        code = ord(m.group())
        if code > 0xFFFF:  # a surrogate pair, as JSON writes characters beyond the BMP
            code -= 0x10000
            return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
        return f"\\u{code:04x}"
    return _JSON_UNSAFE.sub(escape, text)


class _TerminalSafeStream:
    """A text stream that passes everything written through :func:`terminal_text`."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        written: int = self._stream.write(terminal_text(text))
        return written

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextlib.contextmanager
def terminal_safe_output() -> Iterator[None]:
    """While active, everything printed to stdout/stderr is made terminal-safe (the CLIs' ``main``).

    A reader that stops early (``python -m verifier … | head``) closes the pipe: that ends the command
    quietly with the shell's "killed by SIGPIPE" status 141 instead of a traceback, and the interpreter's
    own final flush is pointed at /dev/null so it cannot raise again.
    """
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _TerminalSafeStream(out), _TerminalSafeStream(err)
    try:
        yield
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout(out)
        raise SystemExit(BROKEN_PIPE_EXIT) from None
    finally:
        sys.stdout, sys.stderr = out, err


BROKEN_PIPE_EXIT = 141


def _silence_stdout(stream: TextIO) -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):
        pass
