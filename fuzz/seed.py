#!/usr/bin/env python3
"""Builds the starting corpora in fuzz/seeds/<target>/ (not committed) from
seeds/, fixtures/ and a few pages of ../shared/eval, in the input layout of
thresh::fuzzing: eight option bytes (zeros: the defaults) and the document
(for jsonl, one byte of JSONL options between the two).

    python3 fuzz/seed.py && cargo +nightly fuzz run pipeline fuzz/corpus/pipeline fuzz/seeds/pipeline
"""
import glob, gzip, hashlib, json, os, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "fuzz", "seeds")
HEADER = bytes(8)
LIMIT = 16 * 1024  # seeds longer than this are cut; the fuzzer works on short inputs


def documents():
    paths = sorted(glob.glob(os.path.join(ROOT, "seeds", "*.txt")))
    paths += sorted(glob.glob(os.path.join(ROOT, "fixtures", "seeds", "*.txt")))
    paths += sorted(glob.glob(os.path.join(ROOT, "fixtures", "strip", "*.case")))
    for path in paths:
        with open(path, "rb") as f:
            yield f.read()[:LIMIT]
    shared = os.path.join(ROOT, "..", "shared", "eval")
    for dataset in ("multilingual_ml", "zh_cwce", "dragnet_train"):
        for path in sorted(glob.glob(os.path.join(shared, dataset, "text", "*.txt")))[:5]:
            with open(path, "rb") as f:
                yield f.read()[:LIMIT]


def pages():
    shared = os.path.join(ROOT, "..", "shared", "eval")
    for dataset in ("wcxb_articles", "zh_cwce"):
        for path in sorted(glob.glob(os.path.join(shared, dataset, "html", "*.html.gz")))[:5]:
            with gzip.open(path) as f:
                yield f.read()[:LIMIT]


def write(target, data):
    directory = os.path.join(OUT, target)
    os.makedirs(directory, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()
    with open(os.path.join(directory, name), "wb") as f:
        f.write(data)


def main():
    docs = list(documents())
    for target in ("decode", "repair", "structure_text", "strip", "normalize", "pipeline"):
        for doc in docs:
            write(target, HEADER + doc)
    for doc in docs[:10]:
        text = doc.decode("utf-8", "replace")
        for label in ("windows-1252", "windows-1251", "shift_jis", "gbk", "iso-8859-7"):
            header = bytearray(HEADER)
            header[2] = 1 + ["utf-8", "windows-1252", "iso-8859-2", "iso-8859-5", "iso-8859-7", "windows-1251", "koi8-r", "shift_jis", "gbk"].index(label)
            write("decode", bytes(header) + text.encode(label, "replace"))
            write("pipeline", bytes(header) + text.encode(label, "replace"))
        write("pipeline", HEADER + gzip.compress(doc))
    for page in pages():
        write("structure_html", HEADER + page)
        write("pipeline", HEADER + page)
    lines = []
    for i, doc in enumerate(docs):
        record = {"id": i, "text": doc.decode("utf-8", "replace"), "url": "https://example.com/%d" % i}
        lines.append(json.dumps(record, ensure_ascii=i % 2 == 0))
    for page in list(pages())[:3]:
        lines.append(json.dumps({"html": page.decode("utf-8", "replace")}))
    for start in range(0, len(lines), 4):
        write("jsonl", HEADER + b"\0" + "\n".join(lines[start:start + 4]).encode()[:LIMIT])
    return 0


if __name__ == "__main__":
    sys.exit(main())
