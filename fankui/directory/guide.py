"""Read the guide's YAML into checked, typed records; every error names its line and field.

This module is pure: it touches no database, so a malformed file is refused before any write.
"""
from __future__ import annotations

import datetime
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

SHIPPED_GUIDE = Path(__file__).resolve().parent / "data" / "guide.yaml"

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^[0-9+\- ]{5,20}$")
_REGION_CODE = re.compile(r"^[a-z][a-z0-9_-]{1,30}$")

# The fields each kind of entry may have: a misspelt key would otherwise be ignored with its whole section.
FIELDS = {
    "guide": ("title", "preface", "consultants_intro", "people", "regions", "departments", "systems", "topics", "faqs"),
    "people": ("name", "phone", "email", "wechat", "organisation", "note"),
    "regions": ("name", "code", "consultant"),
    "departments": ("name", "duties", "contact", "mailbox", "mailbox_label"),
    "systems": ("name", "department", "aliases", "description", "responsibilities"),
    "responsibilities": ("topic", "person", "keywords"),
    "topics": ("topic", "person", "role", "keywords"),
    "faqs": ("slug", "title", "body", "systems", "tags", "checklist", "links"),
    "links": ("label", "title", "url", "valid_from", "valid_until"),
}


class GuideError(ValueError):
    """A malformed guide file: `line` and `field` say where."""

    def __init__(self, source: str, line: int, field_path: str, message: str) -> None:
        self.source, self.line, self.field, self.message = source, line, field_path, message
        super().__init__(f"{source}:{line}: {field_path}: {message}")


class _Map(dict):  # type: ignore[type-arg]
    """A mapping that remembers the line of each of its keys."""

    line: int = 0
    key_lines: dict[str, int]


class _LineLoader(yaml.SafeLoader):
    pass


def _construct_map(loader: _LineLoader, node: yaml.MappingNode):  # type: ignore[no-untyped-def]
    data = _Map()
    data.line = node.start_mark.line + 1
    data.key_lines = {str(key.value): key.start_mark.line + 1 for key, _ in node.value}
    yield data
    data.update(loader.construct_mapping(node, deep=True))


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)


@dataclass(frozen=True)
class PersonRec:
    name: str
    phone: str = ""
    email: str = ""
    wechat: str = ""
    organisation: str = ""
    note: str = ""


@dataclass(frozen=True)
class RegionRec:
    name: str
    code: str
    consultant: str | None
    position: int


@dataclass(frozen=True)
class DepartmentRec:
    name: str
    duties: str
    contact: str | None
    mailbox: str
    mailbox_label: str
    position: int


@dataclass(frozen=True)
class ResponsibilityRec:
    system: str | None
    topic: str
    person: str | None
    role: str
    keywords: tuple[str, ...]
    position: int


@dataclass(frozen=True)
class SystemRec:
    name: str
    department: str
    aliases: tuple[str, ...]
    description: str
    position: int


@dataclass(frozen=True)
class LinkRec:
    label: str
    title: str
    url: str
    valid_from: datetime.date | None
    valid_until: datetime.date | None


@dataclass(frozen=True)
class FaqRec:
    slug: str
    title: str
    body: str
    systems: tuple[str, ...]
    tags: tuple[str, ...]
    checklist: tuple[str, ...]
    links: tuple[LinkRec, ...]
    position: int


@dataclass
class Guide:
    title: str
    preface: str
    consultants_intro: str
    people: list[PersonRec] = field(default_factory=list)
    regions: list[RegionRec] = field(default_factory=list)
    departments: list[DepartmentRec] = field(default_factory=list)
    systems: list[SystemRec] = field(default_factory=list)
    responsibilities: list[ResponsibilityRec] = field(default_factory=list)
    faqs: list[FaqRec] = field(default_factory=list)


class _Reader:
    """Walks the loaded YAML with a path, so each complaint says where it is."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, node: Any, key: str | None, path: str, message: str) -> GuideError:
        line = 0
        if isinstance(node, _Map):
            line = node.key_lines.get(key, node.line) if key else node.line
        return GuideError(self.source, line, path, message)

    def text(self, node: _Map, key: str, path: str, *, required: bool = False) -> str:
        value = node.get(key)
        if value is None or value == "":
            if required:
                raise self.fail(node, key if key in node else None, f"{path}.{key}", "必填字段缺失 (required field missing)")
            return ""
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            raise self.fail(node, key, f"{path}.{key}", f"应为文本，实际为 {type(value).__name__}")
        return value.strip()

    def words(self, node: _Map, key: str, path: str) -> tuple[str, ...]:
        value = node.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
            raise self.fail(node, key, f"{path}.{key}", "应为文本列表，如 [EAS, 金蝶]")
        return tuple(str(v).strip() for v in value if str(v).strip())

    def date(self, node: _Map, key: str, path: str) -> datetime.date | None:
        value = node.get(key)
        if value is None:
            return None
        if isinstance(value, datetime.date):
            return value
        raise self.fail(node, key, f"{path}.{key}", f"应为日期 YYYY-MM-DD，实际为 {value!r}")

    def items(self, data: _Map, key: str) -> list[_Map]:
        value = data.get(key) or []
        if not isinstance(value, list):
            raise self.fail(data, key, key, "应为列表")
        for index, item in enumerate(value):
            if not isinstance(item, _Map):
                raise GuideError(self.source, data.key_lines.get(key, 0), f"{key}[{index}]", "每一项应为键值对")
            self.only_known_fields(item, key, f"{key}[{index}]")
        return value

    def only_known_fields(self, node: _Map, kind: str, path: str) -> None:
        allowed = FIELDS[kind]
        for key in node:
            if key not in allowed:
                close = difflib.get_close_matches(str(key), allowed, n=1)
                hint = f"，是否想写 {close[0]}？" if close else f"（可用：{', '.join(allowed)}）"
                raise self.fail(node, str(key), f"{path}.{key}" if path != "guide" else str(key), f"未知字段：{key}{hint}")


def load_guide(path: Path | None = None) -> Guide:
    """Parse and check a guide file; raise GuideError naming the first problem."""
    path = path or SHIPPED_GUIDE
    source = path.name
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise GuideError(source, 0, "-", f"无法读取文件：{exc}") from exc
    try:
        data = yaml.load(raw, Loader=_LineLoader)  # noqa: S506 — a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        raise GuideError(source, line, "-", f"YAML 格式错误：{getattr(exc, 'problem', exc)}") from exc
    if not isinstance(data, _Map):
        raise GuideError(source, 1, "-", "文件顶层应为键值对（title, people, regions …）")
    reader = _Reader(source)
    reader.only_known_fields(data, "guide", "guide")
    return _read(reader, data)


def _read(r: _Reader, data: _Map) -> Guide:
    guide = Guide(
        title=r.text(data, "title", "guide", required=True),
        preface=r.text(data, "preface", "guide"),
        consultants_intro=r.text(data, "consultants_intro", "guide"),
    )
    people: set[str] = set()
    for i, node in enumerate(r.items(data, "people")):
        path = f"people[{i}]"
        rec = PersonRec(
            name=r.text(node, "name", path, required=True),
            phone=r.text(node, "phone", path),
            email=r.text(node, "email", path),
            wechat=r.text(node, "wechat", path),
            organisation=r.text(node, "organisation", path),
            note=r.text(node, "note", path),
        )
        if rec.name in people:
            raise r.fail(node, "name", f"{path}.name", f"联系人重复：{rec.name}")
        if rec.phone and not _PHONE.match(rec.phone):
            raise r.fail(node, "phone", f"{path}.phone", f"电话格式不正确：{rec.phone}")
        if rec.email and not _EMAIL.match(rec.email):
            raise r.fail(node, "email", f"{path}.email", f"邮箱格式不正确：{rec.email}")
        people.add(rec.name)
        guide.people.append(rec)

    def person_ref(node: _Map, key: str, path: str, *, required: bool = False) -> str | None:
        name = r.text(node, key, path, required=required)
        if name and name not in people:
            raise r.fail(node, key, f"{path}.{key}", f"未知联系人：{name}（请先在 people 中列出）")
        return name or None

    seen: set[str] = set()
    codes: set[str] = set()
    for i, node in enumerate(r.items(data, "regions")):
        path = f"regions[{i}]"
        rec = RegionRec(
            name=r.text(node, "name", path, required=True),
            code=r.text(node, "code", path, required=True),
            consultant=person_ref(node, "consultant", path),
            position=i,
        )
        if rec.name in seen:
            raise r.fail(node, "name", f"{path}.name", f"大区重复：{rec.name}")
        if not _REGION_CODE.match(rec.code):
            raise r.fail(node, "code", f"{path}.code", f"大区代码应为小写拼音字母（如 huanan），实际为 {rec.code!r}")
        if rec.code in codes:
            raise r.fail(node, "code", f"{path}.code", f"大区代码重复：{rec.code}")
        seen.add(rec.name)
        codes.add(rec.code)
        guide.regions.append(rec)

    departments: set[str] = set()
    for i, node in enumerate(r.items(data, "departments")):
        path = f"departments[{i}]"
        dept = DepartmentRec(
            name=r.text(node, "name", path, required=True),
            duties=r.text(node, "duties", path),
            contact=person_ref(node, "contact", path),
            mailbox=r.text(node, "mailbox", path),
            mailbox_label=r.text(node, "mailbox_label", path),
            position=i,
        )
        if dept.name in departments:
            raise r.fail(node, "name", f"{path}.name", f"部门重复：{dept.name}")
        if dept.mailbox and not _EMAIL.match(dept.mailbox):
            raise r.fail(node, "mailbox", f"{path}.mailbox", f"邮箱格式不正确：{dept.mailbox}")
        departments.add(dept.name)
        guide.departments.append(dept)

    systems: set[str] = set()
    names: dict[str, str] = {}  # every system name and alias, case-folded → the system it names
    for i, node in enumerate(r.items(data, "systems")):
        path = f"systems[{i}]"
        system = SystemRec(
            name=r.text(node, "name", path, required=True),
            department=r.text(node, "department", path, required=True),
            aliases=r.words(node, "aliases", path),
            description=r.text(node, "description", path),
            position=i,
        )
        # Names and aliases are matched case-insensitively when routing: "EAS" and "eas" are one name.
        if (owner := names.get(system.name.casefold())) is not None:
            raise r.fail(node, "name", f"{path}.name", f"系统重复（不区分大小写）：{system.name} 与 {owner}")
        if system.department not in departments:
            raise r.fail(node, "department", f"{path}.department", f"未知部门：{system.department}")
        for alias in system.aliases:
            owner = names.get(alias.casefold())
            if owner is not None and owner != system.name:
                raise r.fail(node, "aliases", f"{path}.aliases", f"别名 {alias} 已属于系统 {owner}：一个别名只能指向一个系统")
        for term in (system.name, *system.aliases):
            names[term.casefold()] = system.name
        systems.add(system.name)
        guide.systems.append(system)
        topics: set[str] = set()
        for j, resp in enumerate(_sub_items(r, node, "responsibilities", path)):
            rpath = f"{path}.responsibilities[{j}]"
            rec = ResponsibilityRec(
                system=system.name,
                topic=r.text(resp, "topic", rpath),
                person=person_ref(resp, "person", rpath, required=True),
                role="",
                keywords=r.words(resp, "keywords", rpath),
                position=j,
            )
            if rec.topic in topics:
                raise r.fail(resp, "topic", f"{rpath}.topic", f"同一系统内事项重复：{rec.topic or '（整个系统）'}")
            topics.add(rec.topic)
            guide.responsibilities.append(rec)

    standalone: set[str] = set()
    for i, node in enumerate(r.items(data, "topics")):
        path = f"topics[{i}]"
        rec = ResponsibilityRec(
            system=None,
            topic=r.text(node, "topic", path, required=True),
            person=person_ref(node, "person", path),
            role=r.text(node, "role", path),
            keywords=r.words(node, "keywords", path),
            position=i,
        )
        if not rec.person and not rec.role:
            raise r.fail(node, None, f"{path}.person", "需要 person（联系人）或 role（角色）之一")
        if rec.topic in standalone:
            raise r.fail(node, "topic", f"{path}.topic", f"事项重复：{rec.topic}")
        standalone.add(rec.topic)
        guide.responsibilities.append(rec)

    slugs: set[str] = set()
    for i, node in enumerate(r.items(data, "faqs")):
        path = f"faqs[{i}]"
        links = []
        for j, link in enumerate(_sub_items(r, node, "links", path)):
            lpath = f"{path}.links[{j}]"
            links.append(
                LinkRec(
                    label=r.text(link, "label", lpath, required=True),
                    title=r.text(link, "title", lpath),
                    url=r.text(link, "url", lpath, required=True),
                    valid_from=r.date(link, "valid_from", lpath),
                    valid_until=r.date(link, "valid_until", lpath),
                )
            )
        faq = FaqRec(
            slug=r.text(node, "slug", path, required=True),
            title=r.text(node, "title", path, required=True),
            body=r.text(node, "body", path, required=True),
            systems=r.words(node, "systems", path),
            tags=r.words(node, "tags", path),
            checklist=r.words(node, "checklist", path),
            links=tuple(links),
            position=i,
        )
        if faq.slug in slugs:
            raise r.fail(node, "slug", f"{path}.slug", f"文章标识重复：{faq.slug}")
        for name in faq.systems:
            if name not in systems:
                raise r.fail(node, "systems", f"{path}.systems", f"未知系统：{name}")
        slugs.add(faq.slug)
        guide.faqs.append(faq)
    return guide


def _sub_items(r: _Reader, node: _Map, key: str, path: str) -> list[_Map]:
    value = node.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, _Map) for v in value):
        raise r.fail(node, key, f"{path}.{key}", "应为键值对列表")
    for index, item in enumerate(value):
        r.only_known_fields(item, key, f"{path}.{key}[{index}]")
    return value
