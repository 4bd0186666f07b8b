"""Read one YAML file into plain data plus positions, refusing what assessments never need.

The file is opened without blocking and checked to be a regular file before a byte
is read (a FIFO or a device would hang or never end).  The text is parsed as a
stream of events and built iteratively, so that:

- anchors and aliases are refused (no alias bombs, no self-referencing aliases);
- explicit tags (``!!binary``, ``!!str``, ``!local``, on scalars, mappings or
  sequences) are refused rather than silently applied or dropped;
- nesting depth, file size and the number of values are capped, with the limit in
  the error, and deep nesting can never exhaust Python's recursion limit;
- control characters (see :data:`~sphinx_pia.problems.CONTROL_RE`) are refused
  whether written raw or as an escape such as ``"\\x07"``;
- undecodable bytes and control characters are reported at line:column.

Duplicate mapping keys, which PyYAML would silently overwrite, are errors.  Nothing
here raises anything but :class:`ContentError` for bad input.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .problems import CONTROL_RE, ContentError, Problem, limit_problems, show

Loc = tuple[str | int, ...]

#: Largest YAML file read (the largest real one is about 0.2 MB).
MAX_FILE_BYTES = 4 * 1024 * 1024
#: Deepest nesting of mappings and lists (real content needs about 12).
MAX_DEPTH = 32
#: Most values (scalars, mappings, lists) in one file (the largest real file has about 7,000).
MAX_VALUES = 100_000

# libyaml's parser when PyYAML was built with it (several times faster); we use only
# its event stream and the safe scalar resolver and constructors.
_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# a raw carriage return is a line break; escaped ("\r") it is a control character
_RAW_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


_DECIMAL_RE = re.compile(r"^[-+]?(0|[1-9][0-9]*)$")


class _Loader(_Base):  # type: ignore[misc, valid-type]
    """Safe loader; only its parser, resolver and scalar constructors are used."""


@dataclass
class Positions:
    """Line/column (1-based) of every key and value, by field path."""

    values: dict[Loc, tuple[int, int]]
    keys: dict[Loc, tuple[int, int]]

    def find(self, loc: Loc, prefer_key: bool = False) -> tuple[int, int] | None:
        loc = tuple(loc)
        while True:
            if prefer_key and loc in self.keys:
                return self.keys[loc]
            if loc in self.values:
                return self.values[loc]
            if not loc:
                return None
            loc = loc[:-1]


def dotted(loc: Loc) -> str:
    """A field path for messages: ``parts[0].sections[2].items``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + show(part, 40)
    return out


def line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def describe_char(ch: str) -> str:
    return f"U+{ord(ch):04X}"


def read_bytes(path: Path, display: str, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; never blocks on a FIFO or device."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise ContentError([Problem(display, None, None, "", _os_message(exc))]) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ContentError([Problem(display, None, None, "", "通常のファイルではありません（FIFO、デバイスなど）。読み込みません。YAML ファイルに置き換えてください。")])
        if info.st_size > limit:
            raise ContentError([Problem(display, None, None, "", f"ファイルが大きすぎます（{info.st_size:,} バイト、上限 {limit:,} バイト）。ファイルを分けてください。")])
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:  # grew while being read
            raise ContentError([Problem(display, None, None, "", f"ファイルが大きすぎます（上限 {limit:,} バイト）。ファイルを分けてください。")])
        return b"".join(chunks)
    except OSError as exc:
        raise ContentError([Problem(display, None, None, "", _os_message(exc))]) from None
    finally:
        os.close(fd)


def _os_message(exc: OSError) -> str:
    import errno

    if exc.errno == errno.ELOOP:
        return "シンボリックリンクが循環しています。リンクを削除するか、実在するファイルを指すようにしてください。"
    if exc.errno == errno.ENAMETOOLONG:
        return "パスが長すぎます。ファイル名・ディレクトリ名を短くしてください。"
    return f"ファイルを読めません（{exc.strerror or exc}）。アクセス権とファイルの種類を確認してください。"


def decode(data: bytes, display: str) -> str:
    """UTF-8 text (a leading BOM dropped), or a ContentError at the line and column of the first bad byte."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        good = data[: exc.start].decode("utf-8", errors="replace")
        line, col = line_col(good, len(good))
        raise ContentError([Problem(display, line, col, "", f"UTF-8 のテキストではありません（バイト 0x{data[exc.start]:02X}: {exc.reason}）。UTF-8 で保存し直してください。")]) from None
    return text.removeprefix("\ufeff")


def control_problems(text: str, display: str, limit: int = 20) -> list[Problem]:
    out = []
    for m in _RAW_CONTROL_RE.finditer(text):
        out.append(Problem(display, *line_col(text, m.start()), "", f"制御文字 {describe_char(m.group())} は使えません。削除してください（タブと改行以外の制御文字は内容に含められません）。"))
        if len(out) >= limit:
            break
    return out


def read_yaml(path: Path, display: str | None = None) -> tuple[Any, Positions]:
    """Parse one YAML file into plain data plus positions; raise ContentError on bad YAML."""
    display = display or str(path)
    return parse_yaml(decode(read_bytes(Path(path), display), display), display)


def parse_yaml(text: str, display: str) -> tuple[Any, Positions]:
    problems = control_problems(text, display)
    if problems:
        raise ContentError(problems)
    loader = _Loader(text)
    positions = Positions({}, {})
    try:
        data = _Builder(loader, positions, problems, display).document()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or "invalid YAML"
        hint = "字下げ（インデント）と、「: 」や「#」を含む値が引用符で囲まれているかを確認してください。" if any(w in problem for w in ("mapping", "indent", "block", "expected")) else ""
        # PyYAML's own wording stays in the message: it names the construct precisely
        context = f", {exc.context}" if exc.context else ""
        raise ContentError([Problem(display, line, col, "", f"YAML の書式が正しくありません（{show(problem, 200)}{show(context, 200)}）。{hint}")]) from None
    except yaml.YAMLError as exc:
        raise ContentError([Problem(display, 1, 1, "", f"YAML の書式が正しくありません（{show(exc, 200)}）。")]) from None
    finally:
        loader.dispose()
    if problems:
        raise ContentError(limit_problems(problems))
    return data, positions


class _Skip:
    """Where a value goes when it is not kept (the value of a duplicate or bad key)."""


_SKIP = _Skip()


class _Builder:
    """Plain data from the event stream, without recursion and without aliases."""

    def __init__(self, loader: _Loader, positions: Positions, problems: list[Problem], display: str):
        self.loader, self.pos, self.problems, self.display = loader, positions, problems, display
        self.count = 0
        resolvers = loader.yaml_implicit_resolvers
        self.plain_resolvers = resolvers
        # path resolvers would also decide a tag: then every scalar goes through resolve()
        self.wildcard_resolvers = resolvers.get(None) or getattr(loader, "yaml_path_resolvers", None)

    def _mark(self, event) -> tuple[int, int]:
        return event.start_mark.line + 1, event.start_mark.column + 1

    def _fatal(self, event, message: str) -> ContentError:
        return ContentError(limit_problems([*self.problems, Problem(self.display, *self._mark(event), "", message)]))

    def document(self) -> Any:
        get, check = self.loader.get_event, self.loader.check_event
        get()  # stream start
        if check(yaml.StreamEndEvent):
            raise ContentError([Problem(self.display, 1, 1, "", "ファイルが空です。「キー: 値」の形の内容が必要です。")])
        get()  # document start
        if check(yaml.DocumentEndEvent):
            raise ContentError([Problem(self.display, 1, 1, "", "ファイルが空です。「キー: 値」の形の内容が必要です。")])
        data = self._value()
        get()  # document end
        if not check(yaml.StreamEndEvent):
            event = get()
            raise self._fatal(event, "YAML の文書が複数あります（「---」）。1つのファイルには1つの文書だけを書いてください。")
        return data

    def _check_node(self, event, loc: Loc | None) -> None:
        self.count += 1
        if self.count > MAX_VALUES:
            raise self._fatal(event, f"値が多すぎます（上限 {MAX_VALUES:,} 個）。ファイルを分けてください。")
        field = dotted(loc) if loc and (event.anchor is not None or getattr(event, "tag", None) is not None) else ""
        if event.anchor is not None:
            self.problems.append(Problem(self.display, *self._mark(event), field, f"アンカー '&{show(event.anchor, 40)}' は使えません。評価書ではアンカーとエイリアスを使わず、値をそのまま書いてください。"))
        tag = getattr(event, "tag", None)
        if tag is not None:
            self.problems.append(Problem(self.display, *self._mark(event), field, f"タグ '{show(tag, 60)}' は使えません。「!」で始まるタグを削除し、値をそのまま書いてください（文字列にするには引用符で囲みます）。"))

    def _value(self) -> Any:
        """One value (of any depth) starting at the next event; loc () is the root."""
        get = self.loader.get_event
        # a frame: [container, loc or None (not kept), pending key (None: a key is expected), seen keys]
        stack: list[list] = []
        root: Any = _SKIP
        while True:
            event = get()
            if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                frame = stack.pop()
                if not stack:
                    return frame[0]
                if isinstance(stack[-1][0], dict):
                    stack[-1][2] = None
                continue
            # where this value goes
            if stack:
                parent = stack[-1]
                container, ploc = parent[0], parent[1]
                if isinstance(container, dict):
                    if parent[2] is None:  # this is a key
                        self._key(event, parent)
                        continue
                    key = parent[2]
                    loc = None if ploc is None or key is _SKIP else (*ploc, key)
                else:
                    loc = None if ploc is None else (*ploc, len(container))
            else:
                parent, loc = None, ()
            if isinstance(event, yaml.AliasEvent):
                self.problems.append(Problem(self.display, *self._mark(event), dotted(loc) if loc else "", f"エイリアス '*{show(event.anchor, 40)}' は使えません。評価書ではアンカーとエイリアスを使わず、値をそのまま書いてください。"))
                value: Any = None
                self.count += 1
            elif isinstance(event, yaml.ScalarEvent):
                self._check_node(event, loc)
                value = self._scalar(event, loc)
            elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                self._check_node(event, loc)
                if len(stack) >= MAX_DEPTH:
                    raise self._fatal(event, f"入れ子が深すぎます（上限 {MAX_DEPTH} 段）。構造を浅くしてください。")
                value = {} if isinstance(event, yaml.MappingStartEvent) else []
            else:  # pragma: no cover - the parser only yields the events above here
                raise self._fatal(event, "YAML の書式が正しくありません。")
            if loc is not None:
                self.pos.values[loc] = self._mark(event)
            if parent is None:
                root = value
            elif isinstance(parent[0], dict):
                if parent[2] is not _SKIP and loc is not None:
                    parent[0][parent[2]] = value
                parent[2] = None
            else:
                parent[0].append(value)
            if isinstance(value, (dict, list)) and isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                stack.append([value, loc, None, {}])
            elif not stack:
                return root
            # a scalar inside a container: the mapping now expects its next key
            # (handled above when the value was stored)

    def _key(self, event, frame: list) -> None:
        ploc = frame[1]
        if not isinstance(event, yaml.ScalarEvent):
            raise self._fatal(event, "マッピングのキーは文字列にしてください（リストやマッピング、エイリアスはキーにできません）。")
        self._check_node(event, None)
        key = event.value
        bad = CONTROL_RE.search(key)
        if bad:
            self.problems.append(Problem(self.display, *self._mark(event), dotted(ploc or ()), f"キー '{show(key)}' に制御文字 {describe_char(bad.group())} が含まれています。削除してください。"))
            frame[2] = _SKIP
            return
        seen = frame[3]
        if key in seen:
            self.problems.append(Problem(self.display, *self._mark(event), dotted((*(ploc or ()), key)), f"キー '{show(key)}' が重複しています（最初は {seen[key]} 行目）。どちらかを削除してください。"))
            frame[2] = _SKIP
            return
        seen[key] = self._mark(event)[0]
        if ploc is not None:
            self.pos.keys[(*ploc, key)] = self._mark(event)
        frame[2] = key

    def _scalar(self, event, loc: Loc | None) -> Any:
        bad = CONTROL_RE.search(event.value)
        if bad:
            self.problems.append(Problem(self.display, *self._mark(event), dotted(loc) if loc else "", f"制御文字 {describe_char(bad.group())}（エスケープ「\\…」で書かれたものを含む）は使えません。削除してください（タブと改行以外の制御文字は内容に含められません）。"))
            return None
        if not event.implicit[0]:  # quoted, or tagged (refused above): text
            return event.value
        value = event.value
        if value and value[0] not in self.plain_resolvers and not self.wildcard_resolvers:
            # what loader.resolve answers for a plain scalar no implicit resolver claims by
            # its first character (Japanese text, most values): a string
            return value
        tag = self.loader.resolve(yaml.ScalarNode, event.value, (True, False))
        if tag in ("tag:yaml.org,2002:str", "tag:yaml.org,2002:timestamp"):
            return event.value  # keep dates as the text written; the model parses dates itself
        if tag == "tag:yaml.org,2002:int" and not _DECIMAL_RE.match(event.value):
            # YAML 1.1 reads 017 as 15, 0x10 as 16, 1:30 as 90 and 1_000 as 1000: never what a line number means
            self.problems.append(Problem(self.display, *self._mark(event), dotted(loc) if loc else "", f"整数 '{show(event.value)}' は10進数の数字だけで書いてください（先頭の 0、0x、0o、「_」や「:」は使えません）。文字列なら引用符で囲んでください。"))
            return None
        if tag == "tag:yaml.org,2002:int":
            return int(event.value)
        if tag == "tag:yaml.org,2002:null":
            return None
        if tag == "tag:yaml.org,2002:bool":
            return event.value.lower() in ("yes", "true", "on")
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark)
        try:
            return self.loader.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError) as exc:
            self.problems.append(Problem(self.display, *self._mark(event), dotted(loc) if loc else "", f"値を読めません（{show(exc, 120)}）。引用符で囲んで文字列にしてください。"))
            return None
