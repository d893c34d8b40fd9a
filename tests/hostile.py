"""Values a person or a script can put in any parameter or field: what every
route must answer in words (or refuse), never with a server error."""

UGLY = [
    "",
    "   ",
    '"',
    "'",
    "<script>alert(1)</script>",
    "a\x00b",
    "\x00",
    "🙂",
    "x" * 10_000,
    "99999999999999999999",
    "9223372036854775808",
    "-1",
    "0",
    "abc",
    "²",
    "١٢",
    "1.5",
    "0001-01-01",
    "9999-12-31",
    "2026-02-30",
    "2026-03-01T00:00:00+08:00",
    ",".join(["1"] * 10_000),
]
