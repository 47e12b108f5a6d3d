"""Line-breaking character sets (GB/T 15834-2011 §5.1, clreq prohibition rules): the one table PDF and DOCX use."""

from __future__ import annotations

# Full-width (and other non-ASCII) marks that may not start a line, GB style (clreq prohibition rules,
# GB/T 15834-2011 §5.1: 点号 and closing 标号 never begin a line). U+FF0E ． is the full stop
# of texts that use it for 。 (scientific style, many e-texts); U+FE50-FE57 are the small forms.
NO_START_WIDE = "、。，．：；！？”’」』）〕】〗］｝》〉–～·／﹐﹑﹒﹔﹕﹖﹗"
# ASCII closers added so that half-width punctuation after Han text behaves like its full-width
# form in our own line breaker. DOCX leaves them out: Word applies its kinsoku lists to Latin
# text too, where a line may well start with "/" or "%" (ECMA-376 Part 1 §17.15.1, noLineBreaksBefore).
NO_START_ASCII = "/,.;:!?)]}%"
# Strict level (clreq, prohibition rules): —— and …… may not start a line (which also keeps each pair together).
NO_START_STRICT_CHARS = "—…⸺"
# Opening marks that may not end a line.
NO_END_WIDE = "“‘「『（〔【〖［｛《〈／"
NO_END_ASCII = "/([{"

NO_START = frozenset(NO_START_WIDE + NO_START_ASCII)
NO_START_STRICT = frozenset(NO_START_STRICT_CHARS)
NO_END = frozenset(NO_END_WIDE + NO_END_ASCII)

#: Marks whose ink sits on the left of the em box (GB style): blank on the right may be squeezed.
CLOSING = frozenset("、。，．：；！？”’」』）〕】〗］｝》〉")
#: Marks whose ink sits on the right: blank on the left may be squeezed.
OPENING = frozenset("“‘「『（〔【〖［｛《〈")
#: Marks that may hang past the right edge on a character grid (Word's 允许标点溢出边界).
HANGING = CLOSING | frozenset(",.;:!?)]}\"'")  # an ASCII quote only when it closes (nb set)
