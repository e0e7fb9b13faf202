"""The hostile blog: every bad input of DESIGN.md "Reliability" next to good posts, made on the fly.

``build(root)`` writes ``root/articles/`` and returns a :class:`Tree` saying what each entry is:
``good`` maps the posts that must be indexed and listed to their titles, ``bad`` maps the entries
that must be skipped to the exact reason ``postctl index`` gives for them (``line:col: reason``
as shown after the path). Nothing binary is committed: the PNG, the 20 MB post, the FIFO and the
symlinks are made here, in the test's own temporary folder.

Unreadable entries (a ``chmod 000`` file and folder) only mean something to a user without
``CAP_DAC_OVERRIDE``: they are made when ``unreadable=True``, and the caller then runs postctl as
an unprivileged user (see ``hostile/conftest.py``).
"""

from __future__ import annotations

import itertools
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

GOOD_BODY = (
    "Connection pools keep a few warm connections ready. Each request borrows one and gives "
    "it back, so the database never sees a stampede of new sessions.\n"
)
DESCRIPTION = "A post that is perfectly fine, sitting next to files that are not fine at all."


def yaml_post(title: str, slug: str, extra: str = "", body: str = GOOD_BODY) -> str:
    return (
        f'---\ntitle: "{title}"\ndate: 2025-03-04\ndescription: "{DESCRIPTION}"\n'
        f'category: "Performance"\ntags: ["hostile"]\nslug: "{slug}"\n{extra}---\n\n{body}'
    )


def good(title: str, slug: str, extra: str = "") -> tuple[bytes, str]:
    return yaml_post(title, slug, extra).encode(), title


def billion_laughs(levels: int = 9) -> str:
    lines = ["---", 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in itertools.pairwise("abcdefghijklmnopqrstuvwxyz"[:levels]):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    return "\n".join([*lines, "---", "Body", ""])


PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)

# Good posts: file (relative to articles/) → (bytes, title as listed).
GOOD: dict[str, tuple[bytes, str]] = {
    "good-yaml.md": good("Plain YAML", "good-yaml"),
    "good-bom.md": (
        b"\xef\xbb\xbf" + yaml_post("With a BOM", "good-bom").encode(),
        "With a BOM",
    ),
    "good-crlf.md": (
        yaml_post("CRLF endings", "good-crlf").replace("\n", "\r\n").encode(),
        "CRLF endings",
    ),
    "good-cr.md": (
        yaml_post("Old Mac CR endings", "good-cr").replace("\n", "\r").encode(),
        "Old Mac CR endings",
    ),
    "good-toml.md": (
        (
            '+++\ntitle = "TOML front matter"\ndate = 2025-03-05\n'
            f'description = "{DESCRIPTION}"\ncategory = "Performance"\ntags = ["hostile"]\n'
            f'slug = "good-toml"\n+++\n\n{GOOD_BODY}'
        ).encode(),
        "TOML front matter",
    ),
    "good-json.md": (
        (
            '{\n  "title": "JSON front matter",\n  "date": "2025-03-06",\n'
            f'  "description": "{DESCRIPTION}",\n  "category": "Performance",\n'
            f'  "tags": ["hostile"],\n  "slug": "good-json"\n}}\n\n{GOOD_BODY}'
        ).encode(),
        "JSON front matter",
    ),
    # Usable but suspicious: indexed, and `check` reports them.
    "duplicate-keys.md": good("Duplicate keys", "duplicate-keys", 'title: "Duplicate keys"\n'),
    "yaml11-traps.md": good(
        "YAML 1.1 traps", "yaml11-traps", "time: 12:30\nmode: 0777\non: push\nauthor: no\n"
    ),
    # keys python-frontmatter's loads() chokes on (TypeError): fine here
    "odd-keys.md": good("Keys content and handler", "odd-keys", "content: c\nhandler: h\n1: one\n"),
    "impossible-date.md": good(
        "Impossible extra date", "impossible-date", "reviewed: 2026-13-45\n"
    ),
    "x.md/inside.md": good("Inside a folder named x.md", "inside"),
    "deep/er/still/nested.md": good("Nested folders", "nested"),
    "unicode name ü #1.md": good("Café Straße 性能优化 🚀", "unicode-name"),
    "new\nline.md": good("A newline in the file name", "newline"),
    "draft.md": good("A draft", "draft", "draft: true\n"),
    "2016-10-06-dated-by-name.md": (
        b"---\ntitle: Dated by its file name\n---\n\n" + GOOD_BODY.encode(),
        "Dated by its file name",
    ),
}

# Bad files: file → (bytes, the reason `index` gives after the path).
BAD: dict[str, tuple[bytes, str]] = {
    "yaml-unclosed.md": (
        b"---\ntitle: Never closed\n\nBody text.\n",
        ":1:1: front matter opened with '---' is never closed",
    ),
    "yaml-flow.md": (
        b"---\ntitle: [unclosed\n---\nBody\n",
        ":3:1: invalid YAML front matter: did not find expected ',' or ']'",
    ),
    "yaml-indent.md": (
        b"---\ntitle: x\n  bad: indent\n---\nBody\n",
        ":3:6: invalid YAML front matter: mapping values are not allowed in this context",
    ),
    "yaml-tab.md": (
        b"---\ntitle: x\n\tdate: 2025-01-01\n---\nBody\n",
        ":3:1: invalid YAML front matter: found a tab character that violates indentation",
    ),
    "yaml-quote.md": (
        b'---\ntitle: "unterminated\ndate: 2025-01-01\n---\nBody\n',
        ":4:1: invalid YAML front matter: found unexpected end of stream",
    ),
    "yaml-list.md": (
        b"---\n- title\n- date\n---\nBody\n",
        ":2:1: front matter is a list, expected 'key: value' lines",
    ),
    "yaml-scalar.md": (
        b"---\nJust a sentence.\n---\nBody\n",
        ":2:1: front matter is a single value, expected 'key: value' lines",
    ),
    "yaml-complex-key.md": (
        b"---\n? [a, b]\n: x\n---\n",
        ":2:1: front matter key is not a plain name",
    ),
    "yaml-undefined-alias.md": (
        b"---\ntitle: *nope\n---\n",
        ":2:8: invalid YAML front matter: found undefined alias",
    ),
    "yaml-recursive-alias.md": (
        b"---\na: &x [*x]\n---\n",
        ":2:4: invalid YAML front matter: found unconstructable recursive node",
    ),
    "python-object.md": (
        b"---\ntitle: T\nx: !!python/object:os.system [echo]\n---\n",
        ":3:4: invalid YAML front matter: could not determine a constructor for the tag "
        "'tag:yaml.org,2002:python/object:os.system'",
    ),
    "python-apply.md": (
        b"---\ntitle: T\nx: !!python/object/apply:os.system [touch pwned]\n---\n",
        ":3:4: invalid YAML front matter: could not determine a constructor for the tag "
        "'tag:yaml.org,2002:python/object/apply:os.system'",
    ),
    "alias-bomb.md": (
        billion_laughs().encode(),
        ":2: front matter expands to more than 100,000 values (an alias bomb or a generated file?)",
    ),
    "100k-keys.md": (
        ("---\n" + "".join(f"k{i}: {i}\n" for i in range(100_000)) + "---\nBody\n").encode(),
        ":2: front matter expands to more than 100,000 values (an alias bomb or a generated file?)",
    ),
    "deep-flow.md": (
        ("---\n" + "[" * 10_000 + "\n---\n").encode(),
        ":2:1001: invalid YAML front matter: exceeded maximum nesting depth",
    ),
    "deep-block.md": (
        ("---\n" + "".join(" " * i + f"k{i}:\n" for i in range(999)) + "---\n").encode(),
        ":2: front matter is nested too deeply",
    ),
    "deep-json.md": (
        ('{"a": ' + "[" * 100_000 + "\n").encode(),
        ": front matter is nested too deeply",
    ),
    "latin1.md": (
        b"---\ntitle: Caf\xe9\n---\nBody\n",
        ":2:11: not UTF-8 text (byte 0xe9); save the file as UTF-8",
    ),
    "image.md": (PNG, ":3: binary file (contains NUL bytes), not Markdown text"),
    "nul.md": (
        b"---\ntitle: x\n---\nab\x00cd\n",
        ":4: binary file (contains NUL bytes), not Markdown text",
    ),
    "toml-bad.md": (
        b"+++\ntitle = 'x'\ndate = nope\n+++\n",
        ":3:8: invalid TOML front matter: Invalid value",
    ),
    "toml-duplicate.md": (
        b"+++\ntitle = 'x'\ntitle = 'y'\n+++\n",
        ":3:12: invalid TOML front matter: Cannot overwrite a value",
    ),
    "toml-unclosed.md": (
        b"+++\ntitle = 'x'\n",
        ":1:1: front matter opened with '+++' is never closed",
    ),
    "json-bad.md": (
        b'{\n  "title": "x",\n  "date": \n}\nBody\n',
        ":4:1: invalid JSON front matter: Expecting value",
    ),
    "json-unclosed.md": (
        b'{\n  "title": "x"\n\nBody\n',
        ":4:1: invalid JSON front matter: Expecting ',' delimiter",
    ),
}

HEAVY = "100k-keys.md"
BIG = "big.md"
BIG_REASON = ": file is 20 MB, over the limit of 10 MB"

# What is skipped while listing the folder, made in build(): path → reason.
SPECIAL: dict[str, str] = {
    "loop.md": ": symlink loop",
    "loop-a.md": ": symlink loop",
    "loop-b.md": ": symlink loop",
    "outside.md": ": symlink points outside the content folder",
    "dev-zero.md": ": symlink points outside the content folder",
    "fifo.md": ": not a regular file (a FIFO, socket or device)",
    "dangling.md": ": broken symlink or file vanished",
}
# Names that are not UTF-8 (a file copied from an old Latin-1 system), shown with escapes.
LATIN1_FILE = os.fsdecode(b"caf\xe9.md")
LATIN1_FOLDER = os.fsdecode(b"d\xe9j\xe0")
SPECIAL["caf\\xe9.md"] = ": file name is not UTF-8; rename the file"
SPECIAL["d\\xe9j\\xe0/"] = ": folder name is not UTF-8; rename the folder"
UNREADABLE: dict[str, str] = {
    "unreadable.md": ": permission denied",
    "locked/": ": permission denied (folder)",
}

DRAFTS = frozenset({"draft.md"})

# What `check` reports besides a parse error for each bad file: (file, rule).
CHECK_FINDINGS = {
    ("duplicate-keys.md", "duplicate-key"),
    ("yaml11-traps.md", "yaml-trap"),
    ("impossible-date.md", "type"),
    ("2016-10-06-dated-by-name.md", "required"),
}

# Markdown that must be neither indexed nor reported.
IGNORED = (
    ".git/HEAD.md",
    ".git/objects/readme.md",
    "node_modules/pkg/README.md",
    "node_modules/pkg/docs/guide.md",
    ".hidden.md",
    "notes.txt",
)


@dataclass
class Tree:
    root: Path  # the project root (the working directory of every command)
    content: Path  # root / "articles"
    good: dict[str, str]  # rel → title
    bad: dict[str, str]  # rel → reason shown after the path
    unreadable: bool
    made: list[Path] = field(default_factory=list)  # every regular file written, for hashing

    @property
    def published(self) -> dict[str, str]:
        return {rel: title for rel, title in self.good.items() if rel not in DRAFTS}

    @property
    def found_files(self) -> int:
        """Regular Markdown files the scan finds: the good ones and those that fail to parse."""
        return len(self.good) + sum(1 for rel in self.bad if rel not in SPECIAL and rel[-1] != "/")

    def files(self) -> list[Path]:
        """Every file written here that this process can read (root reads the unreadable)."""
        out = []
        for path in self.made:
            try:
                if path.is_file() and os.access(path, os.R_OK):
                    out.append(path)
            except OSError:  # inside the chmod 000 folder, for anybody but root
                continue
        return sorted(out)


def build(root: Path, unreadable: bool, heavy: bool = True) -> Tree:
    """The folder; ``heavy=False`` leaves out the 100k-key post, which alone takes a second of
    every full sync, for tests about something else."""
    content = root / "articles"
    content.mkdir(parents=True)
    made: list[Path] = []

    def put(rel: str, data: bytes, base: Path = content) -> Path:
        path = base / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        made.append(path)
        return path

    for rel, (data, _) in GOOD.items():
        put(rel, data)
    bad = {rel: reason for rel, (_, reason) in BAD.items()}
    for rel, (data, _) in BAD.items():
        if rel == HEAVY and not heavy:
            del bad[rel]
            continue
        put(rel, data)
    with open(content / BIG, "wb") as fh:  # 20 MB of prose, over the 10 MB limit
        fh.write(b"---\ntitle: Too big\n---\n")
        line = b"All work and no play makes a very long post indeed. " * 19 + b"\n"
        fh.write(line * (20 * 1024 * 1024 // len(line)))
        fh.truncate(20 * 1024 * 1024)
    made.append(content / BIG)
    for rel in IGNORED:
        put(rel, yaml_post(f"Ignored {rel}", "ignored").encode())
    put("outside-target.md", yaml_post("Outside the folder", "outside").encode(), base=root)

    (content / "loop.md").symlink_to("loop.md")
    (content / "loop-a.md").symlink_to("loop-b.md")
    (content / "loop-b.md").symlink_to("loop-a.md")
    (content / "outside.md").symlink_to(root / "outside-target.md")
    (content / "dev-zero.md").symlink_to("/dev/zero")
    (content / "dangling.md").symlink_to("gone.md")
    os.mkfifo(content / "fifo.md")
    put(LATIN1_FILE, yaml_post("Latin-1 file name", "latin1-name").encode())
    put(f"{LATIN1_FOLDER}/inside.md", yaml_post("In a Latin-1 folder", "latin1-folder").encode())

    bad[BIG] = BIG_REASON
    bad.update(SPECIAL)
    if unreadable:
        put("unreadable.md", yaml_post("Unreadable", "unreadable").encode()).chmod(0)
        put("locked/hidden-post.md", yaml_post("Locked away", "locked").encode())
        (content / "locked").chmod(0)
        bad.update(UNREADABLE)
    good = {rel: title for rel, (_, title) in GOOD.items()}
    return Tree(root, content, good, bad, unreadable, made)


LOCATION = re.compile(r"^(?::(\d+))?(?::(\d+))?: (.*)$")


def shown(rel: str) -> str:
    """A content-relative path as postctl shows it from the project root."""
    return "articles/" + rel


def skip_lines(tree: Tree) -> Counter[str]:
    """The warning `index` prints for each bad entry (a folder is shown without its slash)."""
    return Counter(
        f"postctl: warning: skipped {shown(rel).rstrip('/')}{reason}"
        for rel, reason in tree.bad.items()
    )


def parse_reason(suffix: str) -> tuple[int | None, int | None, str]:
    m = LOCATION.match(suffix)
    assert m, suffix
    line, col, reason = m.groups()
    return (int(line) if line else None, int(col) if col else None, reason)
