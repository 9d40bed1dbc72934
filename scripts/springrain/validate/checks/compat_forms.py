"""Characters outside ASCII that NFKC turns into what the contact-data patterns look for.

The exact PII check normalises text with NFKC, so ``１３８``, ``①③⑧`` and ``138－0013－8000``
(full-width hyphens) are all phone numbers to it. The raw-byte prefilter must see them too,
so it needs every character whose NFKC form holds a digit or ``@`` (any one of them sends a
file to the exact check) and every character that is or becomes a phone-number separator.

Computing the sets walks all of Unicode (a tenth of a second), so they are kept below,
generated for one Unicode version; an interpreter with another version computes its own.
Regenerate with ``python -m springrain.rules.compat_forms`` (a test fails when stale).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

# What the exact patterns of pii.py match after NFKC: digits, @, and the separators of
# MOBILE_RE (str ``\s``, ``-``, ``.``, parentheses).
_DIGIT_OR_AT = re.compile(r"[0-9@]")
_SEPARATOR = re.compile(r"[\s\-.()]")
_INTEREST = re.compile(r"[0-9@\s\-.()]")

# generated: begin
UNIDATA_VERSION = "14.0.0"
DIGIT_OR_AT = (
    "\xb2\xb3\xb9\xbc\xbd\xbe\u2070\u2074\u2075\u2076\u2077\u2078\u2079\u2080\u2081\u2082\u2083"
    "\u2084\u2085\u2086\u2087\u2088\u2089\u2150\u2151\u2152\u2153\u2154\u2155\u2156\u2157\u2158"
    "\u2159\u215a\u215b\u215c\u215d\u215e\u215f\u2189\u2460\u2461\u2462\u2463\u2464\u2465\u2466"
    "\u2467\u2468\u2469\u246a\u246b\u246c\u246d\u246e\u246f\u2470\u2471\u2472\u2473\u2474\u2475"
    "\u2476\u2477\u2478\u2479\u247a\u247b\u247c\u247d\u247e\u247f\u2480\u2481\u2482\u2483\u2484"
    "\u2485\u2486\u2487\u2488\u2489\u248a\u248b\u248c\u248d\u248e\u248f\u2490\u2491\u2492\u2493"
    "\u2494\u2495\u2496\u2497\u2498\u2499\u249a\u249b\u24ea\u3251\u3252\u3253\u3254\u3255\u3256"
    "\u3257\u3258\u3259\u325a\u325b\u325c\u325d\u325e\u325f\u32b1\u32b2\u32b3\u32b4\u32b5\u32b6"
    "\u32b7\u32b8\u32b9\u32ba\u32bb\u32bc\u32bd\u32be\u32bf\u32c0\u32c1\u32c2\u32c3\u32c4\u32c5"
    "\u32c6\u32c7\u32c8\u32c9\u32ca\u32cb\u3358\u3359\u335a\u335b\u335c\u335d\u335e\u335f\u3360"
    "\u3361\u3362\u3363\u3364\u3365\u3366\u3367\u3368\u3369\u336a\u336b\u336c\u336d\u336e\u336f"
    "\u3370\u3378\u3379\u339f\u33a0\u33a1\u33a2\u33a3\u33a4\u33a5\u33a6\u33a8\u33af\u33e0\u33e1"
    "\u33e2\u33e3\u33e4\u33e5\u33e6\u33e7\u33e8\u33e9\u33ea\u33eb\u33ec\u33ed\u33ee\u33ef\u33f0"
    "\u33f1\u33f2\u33f3\u33f4\u33f5\u33f6\u33f7\u33f8\u33f9\u33fa\u33fb\u33fc\u33fd\u33fe\ufe6b"
    "\uff10\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff19\uff20\U0001d7ce\U0001d7cf"
    "\U0001d7d0\U0001d7d1\U0001d7d2\U0001d7d3\U0001d7d4\U0001d7d5\U0001d7d6\U0001d7d7\U0001d7d8"
    "\U0001d7d9\U0001d7da\U0001d7db\U0001d7dc\U0001d7dd\U0001d7de\U0001d7df\U0001d7e0\U0001d7e1"
    "\U0001d7e2\U0001d7e3\U0001d7e4\U0001d7e5\U0001d7e6\U0001d7e7\U0001d7e8\U0001d7e9\U0001d7ea"
    "\U0001d7eb\U0001d7ec\U0001d7ed\U0001d7ee\U0001d7ef\U0001d7f0\U0001d7f1\U0001d7f2\U0001d7f3"
    "\U0001d7f4\U0001d7f5\U0001d7f6\U0001d7f7\U0001d7f8\U0001d7f9\U0001d7fa\U0001d7fb\U0001d7fc"
    "\U0001d7fd\U0001d7fe\U0001d7ff\U0001f100\U0001f101\U0001f102\U0001f103\U0001f104\U0001f105"
    "\U0001f106\U0001f107\U0001f108\U0001f109\U0001f10a\U0001fbf0\U0001fbf1\U0001fbf2\U0001fbf3"
    "\U0001fbf4\U0001fbf5\U0001fbf6\U0001fbf7\U0001fbf8\U0001fbf9"
)
SEPARATOR = (
    "\x85\xa0\xa8\xaf\xb4\xb8\u02d8\u02d9\u02da\u02db\u02dc\u02dd\u037a\u0384\u0385\u1680\u1fbd"
    "\u1fbf\u1fc0\u1fc1\u1fcd\u1fce\u1fcf\u1fdd\u1fde\u1fdf\u1fed\u1fee\u1ffd\u1ffe\u2000\u2001"
    "\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2017\u2024\u2025\u2026\u2028\u2029"
    "\u202f\u203e\u205f\u207d\u207e\u208d\u208e\u249c\u249d\u249e\u249f\u24a0\u24a1\u24a2\u24a3"
    "\u24a4\u24a5\u24a6\u24a7\u24a8\u24a9\u24aa\u24ab\u24ac\u24ad\u24ae\u24af\u24b0\u24b1\u24b2"
    "\u24b3\u24b4\u24b5\u3000\u309b\u309c\u3200\u3201\u3202\u3203\u3204\u3205\u3206\u3207\u3208"
    "\u3209\u320a\u320b\u320c\u320d\u320e\u320f\u3210\u3211\u3212\u3213\u3214\u3215\u3216\u3217"
    "\u3218\u3219\u321a\u321b\u321c\u321d\u321e\u3220\u3221\u3222\u3223\u3224\u3225\u3226\u3227"
    "\u3228\u3229\u322a\u322b\u322c\u322d\u322e\u322f\u3230\u3231\u3232\u3233\u3234\u3235\u3236"
    "\u3237\u3238\u3239\u323a\u323b\u323c\u323d\u323e\u323f\u3240\u3241\u3242\u3243\u33c2\u33c7"
    "\u33d8\ufc5e\ufc5f\ufc60\ufc61\ufc62\ufc63\ufdfa\ufdfb\ufe19\ufe30\ufe35\ufe36\ufe49\ufe4a"
    "\ufe4b\ufe4c\ufe52\ufe59\ufe5a\ufe63\ufe70\ufe72\ufe74\ufe76\ufe78\ufe7a\ufe7c\ufe7e\uff08"
    "\uff09\uff0d\uff0e\uffe3\U0001f110\U0001f111\U0001f112\U0001f113\U0001f114\U0001f115"
    "\U0001f116\U0001f117\U0001f118\U0001f119\U0001f11a\U0001f11b\U0001f11c\U0001f11d\U0001f11e"
    "\U0001f11f\U0001f120\U0001f121\U0001f122\U0001f123\U0001f124\U0001f125\U0001f126\U0001f127"
    "\U0001f128\U0001f129"
)
# generated: end


def compute() -> tuple[str, str]:
    """Both sets for this interpreter's Unicode version: ``(digit or @, separator)``."""
    normalise = unicodedata.normalize
    digit_or_at: list[str] = []
    separator: list[str] = []
    everything = "".join(map(chr, range(0x80, 0xD800))) + "".join(map(chr, range(0xE000, 0x110000)))
    step = 4096
    for start in range(0, len(everything), step):
        block = everything[start : start + step]
        # Most blocks hold nothing of interest, even once normalised: skip them whole.
        normalised = normalise("NFKC", block)
        if not (_INTEREST.search(normalised) or _INTEREST.search(block)):
            continue
        for char in block:
            form = normalise("NFKC", char)
            if _DIGIT_OR_AT.search(form):
                digit_or_at.append(char)
            elif _SEPARATOR.search(form) or not form:
                separator.append(char)
    return "".join(digit_or_at), "".join(separator)


@cache
def current() -> tuple[str, str]:
    if unicodedata.unidata_version == UNIDATA_VERSION:
        return DIGIT_OR_AT, SEPARATOR
    return compute()


def _literal(name: str, chars: str) -> list[str]:
    escaped = chars.encode("unicode_escape").decode("ascii")
    # Lines of whole escapes, each under the line limit.
    pieces = re.findall(r"\\U[0-9a-f]{8}|\\u[0-9a-f]{4}|\\x[0-9a-f]{2}|.", escaped)
    lines, line = [], ""
    for piece in pieces:
        if len(line) + len(piece) > 90:
            lines.append(line)
            line = ""
        line += piece
    if line:
        lines.append(line)
    if not lines:
        return [f'{name} = ""']
    return [f"{name} = (", *(f'    "{text}"' for text in lines), ")"]


def generated_block() -> str:
    digit_or_at, separator = compute()
    return "\n".join(
        [
            "# generated: begin",
            f'UNIDATA_VERSION = "{unicodedata.unidata_version}"',
            *_literal("DIGIT_OR_AT", digit_or_at),
            *_literal("SEPARATOR", separator),
            "# generated: end",
        ]
    )


def rewrite(path: Path = Path(__file__)) -> bool:
    """Replace the generated block of this module; True when it changed."""
    text = path.read_text("utf-8")
    begin, end = text.index("# generated: begin"), text.index("# generated: end")
    updated = text[:begin] + generated_block() + text[end + len("# generated: end") :]
    if updated == text:
        return False
    path.write_text(updated, "utf-8")
    return True


if __name__ == "__main__":
    print(f"rewrote {__file__}" if rewrite() else f"{__file__} is current")
