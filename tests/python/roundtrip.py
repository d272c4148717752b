"""Round trip through `thresh clean --jsonl` from Python, standard library only.

Usage: python3 tests/python/roundtrip.py PATH_TO_THRESH

It does what a Python data pipeline (or Spark's rdd.pipe) does: sends JSON
records on standard input and reads the cleaned records from standard
output, and checks that nothing is lost, reordered or altered.
"""

import gzip
import json
import os
import subprocess
import sys
import tempfile
import threading

THRESH = sys.argv[1]


def article(n):
    body = " ".join(["Paragraph %d of story %d, with \u201cquotes\u201d." % (p, n) for p in range(n % 7 + 1)])
    return "Headline Number %d\n\n%s\n\nIt\u2019s the end." % (n, body)


def records():
    """Records with fields that must pass through exactly, and bad lines."""
    lines = []
    for n in range(200):
        record = {
            "id": n,
            "url": "https://example.com/%d" % n,
            "big": 2**80 + n,
            "meta": {"tags": ["a", "b"], "score": n / 7, "none": None},
            "cl\u00e9": "\u00e9t\u00e9",
            "text": article(n),
        }
        lines.append(json.dumps(record))
    lines[10] = "this is not json"
    lines[20] = "[1, 2, 3]"
    lines[30] = ""
    lines[40] = json.dumps({"id": 40, "body": "no text field"})
    return lines


BAD = {10, 20, 30, 40}


def check(inputs, outputs, output_field="text"):
    assert len(outputs) == len(inputs), (len(outputs), len(inputs))
    for n, (line, out) in enumerate(zip(inputs, outputs)):
        cleaned = json.loads(out)
        if n in BAD:
            assert "error" in cleaned, cleaned
            continue
        original = json.loads(line)
        assert "error" not in cleaned, cleaned
        for key, value in original.items():
            if key != output_field:
                assert cleaned[key] == value, (key, cleaned[key], value)
        assert cleaned["title"] == "Headline Number %d" % n, cleaned["title"]
        assert cleaned[output_field].endswith("It's the end."), cleaned[output_field]
        assert "\u201c" not in cleaned[output_field]
        added = ["title", "date", "byline", output_field]
        assert list(cleaned) == [k for k in original if k not in added] + added, list(cleaned)


def through_pipes():
    inputs = records()
    data = "".join(line + "\n" for line in inputs)
    proc = subprocess.run(
        [THRESH, "clean", "--jsonl", "-", "-j", "2", "--quiet"],
        input=data.encode("utf-8"),
        capture_output=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    check(inputs, proc.stdout.decode("utf-8").splitlines())
    print("roundtrip: pipes ok")


def through_gzip_files():
    inputs = records()
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "in.jsonl.gz")
        dst = os.path.join(tmp, "out.jsonl.gz")
        with gzip.open(src, "wt", encoding="utf-8") as f:
            f.writelines(line + "\n" for line in inputs)
        proc = subprocess.run(
            [THRESH, "clean", "--jsonl", src, "-o", dst, "--output-field", "clean", "--quiet"],
            capture_output=True,
            check=False,
        )
        assert proc.returncode == 0, proc.stderr.decode()
        with gzip.open(dst, "rt", encoding="utf-8") as f:
            outputs = f.read().splitlines()
    check(inputs, outputs, output_field="clean")
    print("roundtrip: gzip files ok")


def one_line_at_a_time():
    """A long-lived thresh answering each record before the next is sent."""
    proc = subprocess.Popen(
        [THRESH, "clean", "--jsonl", "-", "--quiet"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    watchdog = threading.Timer(30, proc.kill)
    watchdog.start()
    try:
        for n in range(3):
            proc.stdin.write((json.dumps({"id": n, "text": article(n)}) + "\n").encode())
            proc.stdin.flush()
            answer = proc.stdout.readline()
            assert answer, "no answer: thresh waited for more input before writing"
            assert json.loads(answer)["id"] == n
        proc.stdin.close()
        assert proc.wait() == 0
    finally:
        watchdog.cancel()
    print("roundtrip: one line at a time ok")


if __name__ == "__main__":
    through_pipes()
    through_gzip_files()
    one_line_at_a_time()
    print("3 passed, 0 failed")
