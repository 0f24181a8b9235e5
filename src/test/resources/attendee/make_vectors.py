#!/usr/bin/env python3
"""Generates the expected vectors pasted into AttendeeCanonicalJsonTest.

For reviewers only: the Java test does NOT run this script. Re-run it with
``python3 make_vectors.py`` and diff its output against the literals in the test.

Reference behaviour (Attendee, bots/webhook_utils.py + bots/tasks/deliver_webhook_task.py):

    payload_json = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    signature    = base64.b64encode(hmac.new(secret, payload_json.encode("utf-8"), hashlib.sha256).digest())
    requests.post(url, json=payload, headers={"X-Webhook-Signature": signature, ...})

``requests.post(json=...)`` serialises the body with the *default* json.dumps settings
(ensure_ascii=True, separators=(", ", ": ")), so the wire body differs from the signed bytes:
non-ASCII appears as \\uXXXX escapes (emoji as surrogate-pair escapes) and there is whitespace.
The receiver must therefore re-canonicalise:  json.loads(body) -> json.dumps(..., canonical args).

All Java literals printed here are pure ASCII (non-ASCII as \\uXXXX, control chars as octal
escapes) so the test source does not depend on the compiler's source encoding.
"""
import base64
import hashlib
import hmac
import json

SECRET_B64 = "c2VjcmV0LWtleS1mb3ItdGVzdHMtMTIzNA=="          # b"secret-key-for-tests-1234"
SECRET2_B64 = base64.b64encode(bytes(range(0, 256, 8))).decode()  # 32 non-UTF-8 key bytes


def canonical(obj) -> bytes:
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def canonical_of_raw(raw: bytes) -> bytes:
    # exactly what a Python receiver would do with the request body
    return canonical(json.loads(raw))


def sign(secret_b64: str, canonical_bytes: bytes) -> str:
    key = base64.b64decode(secret_b64)
    return base64.b64encode(hmac.new(key, canonical_bytes, hashlib.sha256).digest()).decode("ascii")


def jlit(s: str) -> str:
    """Java string literal, ASCII only."""
    out = []
    for ch in s:
        cp = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\b":
            out.append("\\b")
        elif ch == "\f":
            out.append("\\f")
        elif cp < 0x20 or cp == 0x7F:
            out.append("\\%03o" % cp)  # always 3 octal digits -> unambiguous
        elif cp < 0x7F:
            out.append(ch)
        elif cp <= 0xFFFF:
            out.append("\\u%04X" % cp)
        else:
            v = cp - 0x10000
            out.append("\\u%04X\\u%04X" % (0xD800 + (v >> 10), 0xDC00 + (v & 0x3FF)))
    # wrap into chunks of ~80 chars without splitting an escape
    chunks, cur = [], ""
    for piece in out:
        if len(cur) + len(piece) > 80:
            chunks.append(cur)
            cur = ""
        cur += piece
    chunks.append(cur)
    return "\n        + ".join('"' + c + '"' for c in chunks)


def emit(name: str, raw: bytes, canon: bytes, sig=None, sig2=None):
    print(f"// ---- {name}")
    print(f"RAW_{name} = {jlit(raw.decode('utf-8'))};")
    print(f"CANON_{name} = {jlit(canon.decode('utf-8'))};")
    if sig is not None:
        print(f'SIG_{name} = "{sig}";')
    if sig2 is not None:
        print(f'SIG2_{name} = "{sig2}";')
    print()


print(f'SECRET = "{SECRET_B64}";')
print(f'SECRET2 = "{SECRET2_B64}";')
print()

# 1. Realistic bot.state_change body as typed (whitespace, unsorted keys, raw UTF-8 non-ASCII).
state_change_raw = (
    '{"idempotency_key": "9c1f0f5e-6f3c-4bd1-9a77-1d1b3f9f2a10", "bot_id": "bot_3hfj28fjs", '
    '"bot_metadata": {"customer": "acme", "\u00fcn\u00efcode": "\u65e5\u672c\u8a9e"}, '
    '"trigger": "bot.state_change", "data": {"new_state": "joined_recording", "old_state": "joining", '
    '"created_at": "2025-01-15T10:00:05.123456Z", "event_type": "joined_meeting", "event_sub_type": null}}'
).encode("utf-8")
c = canonical_of_raw(state_change_raw)
emit("STATE_CHANGE", state_change_raw, c, sign(SECRET_B64, c), sign(SECRET2_B64, c))

# 2. Unicode: body produced the way requests(json=...) produces it (ensure_ascii=True -> \uXXXX
#    escapes, emoji as surrogate pairs). Keys chosen so UTF-16 order != code-point order:
#    U+FB01 / U+E000 / U+FFFD sort BEFORE U+1F600 by code point, AFTER it by UTF-16 unit.
unicode_obj = {
    "\U0001F600": "grinning \U0001F600 face",
    "\uFB01": "fi-ligature",
    "\uE000": "private use",
    "\uFFFD": "replacement",
    "z": "last ascii",
    "\u00e9t\u00e9": "caf\u00e9 cr\u00e8me br\u00fbl\u00e9e",
    "A": "upper before lower",
    "a": "\u4e2d\u6587 \u0627\u0644\u0639\u0631\u0628\u064a\u0629 \u05e2\u05d1\u05e8\u05d9\u05ea",
    "": "empty key",
    "emoji_value": "\U0001F680\U0001F1E9\U0001F1EA\u2764\ufe0f",
    "\U0001F600x": "emoji prefix",
}
unicode_raw = json.dumps(unicode_obj).encode("utf-8")
c = canonical(unicode_obj)
assert c == canonical_of_raw(unicode_raw)
emit("UNICODE", unicode_raw, c, sign(SECRET_B64, c))

# 3. Numbers: raw body built with Python's own number spelling (json.dumps default separators).
numbers_obj = {
    "one_point_zero": 1.0,
    "half": 0.5,
    "one_e5": 1e5,            # Python spells this 100000.0
    "neg_zero": -0.0,
    "big_int": 12345678901234567890123,
    "neg_int": -42,
    "zero": 0,
    "tiny": 1e-7,             # Python spells this 1e-07
    "huge": 1e16,             # Python spells this 1e+16
    "pi": 3.141592653589793,
    "third": 1 / 3,
    "max_double": 1.7976931348623157e308,
    "neg_exp": -2.5e-10,
    "bools": [True, False, None],
}
numbers_raw = json.dumps(numbers_obj).encode("utf-8")
c = canonical(numbers_obj)
assert c == canonical_of_raw(numbers_raw)
emit("NUMBERS", numbers_raw, c, sign(SECRET_B64, c))

# 4. Nested objects and arrays, raw pretty-printed (newlines + indentation) with unsorted keys.
nested_obj = {
    "list": [3, 1, 2, {"b": 1, "a": [{"d": None, "c": True}]}],
    "obj": {"z": {"y": {"x": []}}, "empty": {}, "b": [{"k2": 2, "k1": 1}, {"k2": 4, "k1": 3}]},
    "arr_of_arr": [[], [[]], [1, [2, [3]]]],
    "aa": {"ab": 1, "aa": 2, "a": 3},
}
nested_raw = json.dumps(nested_obj, indent=2).encode("utf-8")
c = canonical(nested_obj)
assert c == canonical_of_raw(nested_raw)
emit("NESTED", nested_raw, c, sign(SECRET_B64, c))

# 5. Control characters, quotes, backslashes, slashes, DEL.
strings_obj = {
    "ctrl": "line1\nline2\ttab\u0001x\u001fy\r\b\f\u0000end",
    "quote": 'say "hi"',
    "backslash": "C:\\path\\x",
    "slash": "a/b</script>",
    "del": "x\u007fy",
    "k\ney\t": "control chars in key",
    "mixed": "\u00e9\"\\/\n\u2028\u2029",
}
strings_raw = json.dumps(strings_obj).encode("utf-8")
c = canonical(strings_obj)
assert c == canonical_of_raw(strings_raw)
emit("STRINGS", strings_raw, c, sign(SECRET_B64, c))

# 6. Hand-written raw body: escaped slash, upper-case hex escapes, surrogate-pair escape,
#    odd whitespace, duplicate keys (last one wins).
handwritten_raw = (
    b'\r\n\t {"b" : "\\/path\\u00E9\\uD83D\\uDE00" ,\n "a":[ 1 , -2 ,"x" , {"y":1,"x":2}] ,'
    b' "dup" : "first" , "c" : { } , "dup" : "last-wins" } \n'
)
emit("HANDWRITTEN", handwritten_raw, canonical_of_raw(handwritten_raw))

# 7. UTF-8 BOM: Python's json.loads(bytes) detects 'utf-8-sig' and ignores the BOM.
bom_raw = b'\xef\xbb\xbf{"b":1,"a":2}'
emit("BOM", bom_raw, canonical_of_raw(bom_raw))

# 8. Non-object top-level values.
for i, raw in enumerate([b'[3, {"b": 1, "a": 2}, "x"]', b'"str\\u00e9"', b"null", b"true", b" -1.5 "]):
    emit(f"TOP{i}", raw, canonical_of_raw(raw))

# Informational: things that surprised us.
print("// Python json.loads+dumps of non-Python number spellings (NOT what the Java class does;")
print("// the Java class passes tokens through, which matches Attendee since its body is Python-made):")
for tok in ["1e5", "1E5", "-0", "1.50", "0.1e1", "1e400", "1.0000000000000001"]:
    print(f"//   {tok!r:>22} -> {json.dumps(json.loads(tok))!r}")
