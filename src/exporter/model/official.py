"""The 公文 fields of a document (GB/T 9704-2012 §7.2 版头, §7.3.7 附注, §7.4 版记) and what each prints."""

from __future__ import annotations

from dataclasses import fields, replace
from typing import Literal

from exporter.record import record

#: What a printed element is, so each writer can place and style it.
Part = Literal[
    "copy",  # 份号
    "classification",  # 密级和保密期限
    "urgency",  # 紧急程度
    "issuer",  # 发文机关标志 (one body a part)
    "number",  # 发文字号
    "signer",  # 签发人
    "note",  # 附注
    "cc",  # 抄送
    "printed",  # 印发机关和印发日期
]

#: The label before the 签发人 names, and before the 抄送 bodies (GB/T 9704-2012 §7.2.6, §7.4.2).
SIGNER_LABEL = "签发人："
CC_LABEL = "抄送："
#: What follows the 印发日期 (GB/T 9704-2012 §7.4.3: 2012年7月1日印发).
PRINTED_SUFFIX = "印发"
#: Between 印发机关 and 印发日期 in the text of the line; the writers set them apart.
PRINTED_GAP = "\u3000"
#: Between several 签发人 names on their line.
NAMES_GAP = "\u3000"


@record
class Official:
    """The 公文 fields (all optional: a field left empty is not printed, nothing is invented).

    ``issuers``: the issuing bodies (发文机关标志, several for a joint document, the lead body
    first), printed as given (with or without 文件); ``signers``: 签发人 (an upward document);
    ``copy``: 份号 (six digits); ``classification``: 密级 (绝密/机密/秘密) and
    ``secrecy_period`` 保密期限 (``1年``); ``urgency``: 紧急程度 (特急/加急); ``cc``: 抄送 (the
    bodies, ending with 。); ``printed_by``/``printed_date``: 印发机关 and 印发日期
    (``2024年1月5日``); ``note``: 附注 (``（此件公开发布）``); ``has_seal``: the document is sealed
    (盖章), which places the signature over the date (§7.3.5.1). The 发文字号 is the metadata's
    ``document_number``.
    """

    issuers: tuple[str, ...] = ()
    signers: tuple[str, ...] = ()
    copy: str = ""
    classification: str = ""
    secrecy_period: str = ""
    urgency: str = ""
    cc: str = ""
    printed_by: str = ""
    printed_date: str = ""
    note: str = ""
    has_seal: bool = False

    def __bool__(self) -> bool:
        return self != _EMPTY

    def classification_text(self) -> str:
        """密级和保密期限 as printed: ``机密★1年`` (§7.2.2), or either alone."""
        if self.classification and self.secrecy_period:
            return f"{self.classification}★{self.secrecy_period}"
        return self.classification or self.secrecy_period

    def signer_text(self) -> str:
        """The 签发人 line: ``签发人：`` then the names ("" when none)."""
        return SIGNER_LABEL + NAMES_GAP.join(self.signers) if self.signers else ""

    def cc_text(self) -> str:
        """The 抄送 line: ``抄送：`` then the bodies ("" when none)."""
        return CC_LABEL + self.cc if self.cc else ""

    def printed_text(self) -> str:
        """The 印发 line: ``印发机关　2024年1月5日印发``, or either part alone."""
        date = self.printed_date + PRINTED_SUFFIX if self.printed_date else ""
        return PRINTED_GAP.join(p for p in (self.printed_by, date) if p)


_EMPTY = Official()

#: Field names of Official that hold a tuple of strings (the others are strings, has_seal a bool).
TUPLE_FIELDS = ("issuers", "signers")
FIELD_NAMES = tuple(f.name for f in fields(Official))


def with_official(official: Official, **changes: object) -> Official:
    """``official`` with some fields replaced (by name, as FIELD_NAMES)."""
    return replace(official, **changes)  # type: ignore[arg-type]
