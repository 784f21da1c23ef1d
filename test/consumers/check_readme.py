"""The wheel's README (its METADATA description, what PyPI shows) must not label TypeScript as Python.

usage: python3 check_readme.py WHEEL
jsii-pacmak rewrites every ```ts block of README.md into the target language with jsii-rosetta. A snippet it cannot
translate stays TypeScript, labelled ```python (issue 18 item 3). Fails on a ```python block with TypeScript-only syntax.
"""
import re
import sys
import zipfile

TYPESCRIPT_ONLY = {
    "const declaration": re.compile(r"(^|[\s;(])const\s"),
    "new expression": re.compile(r"(^|[\s=(,\[])new\s+[A-Za-z_]"),
    "type annotation ': string'": re.compile(r":\s*string\b"),
    "arrow function '=>'": re.compile(r"=>"),
    "namespace import 'import * as'": re.compile(r"import\s+\*\s+as\s"),
    # What jsii-rosetta leaves as it was when it cannot translate a statement (a try/catch, say):
    "'//' comment": re.compile(r"(^|\s)//"),
    "statement ending in ';'": re.compile(r";\s*$"),
    "braced block": re.compile(r"\b(try|catch|else)\s*(\([^)]*\)\s*)?\{|\)\s*\{\s*$"),
    "'throw' statement": re.compile(r"\bthrow\s"),
    "'!' negation": re.compile(r"(^|[\s(])!(?!=)"),
    "template literal": re.compile(r"`"),
}
FENCE = re.compile(r"^(?P<indent>[ \t]*)```(?P<lang>[A-Za-z0-9_+-]*)[^\n]*\n(?P<body>.*?)^(?P=indent)```[ \t]*$", re.M | re.S)


def code_only(line: str) -> str:
    """The line without a trailing # comment (outside string literals, roughly) and without string literals."""
    line = re.sub(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"", '""', line)
    return line.split("#", 1)[0]


def problems(description: str) -> list:
    found = []
    for block in FENCE.finditer(description):
        if block.group("lang") != "python":
            continue
        line_no = description.count("\n", 0, block.start()) + 1
        for offset, line in enumerate(block.group("body").splitlines()):
            code = code_only(line)
            for what, pattern in TYPESCRIPT_ONLY.items():
                if pattern.search(code):
                    found.append(f"line {line_no + 1 + offset}: {what}: {line.strip()}")
    return found


def description_of(wheel: str) -> str:
    with zipfile.ZipFile(wheel) as zf:
        name = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = zf.read(name).decode("utf-8")
    # METADATA is an email-style header block, a blank line, then the long description.
    return metadata.split("\n\n", 1)[1] if "\n\n" in metadata else ""


def main() -> None:
    wheel = sys.argv[1]
    description = description_of(wheel)
    blocks = [b.group("lang") for b in FENCE.finditer(description)]
    if "python" not in blocks:
        sys.exit(f"consumer check (wheel README): FAILED: no ```python block in the description of {wheel}")
    found = problems(description)
    if found:
        sys.exit("consumer check (wheel README): FAILED: ```python blocks of the wheel's description hold TypeScript "
                 "(jsii-rosetta did not translate them):\n  " + "\n  ".join(found))
    print(f"consumer check (wheel README): ok: {blocks.count('python')} ```python block(s), none holds TypeScript-only syntax")


if __name__ == "__main__":
    main()
