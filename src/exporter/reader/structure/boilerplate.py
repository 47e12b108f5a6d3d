"""Web-page furniture: the buttons, labels, links and photo captions a scrape keeps around the text."""

from __future__ import annotations

import re

#: Words that are a page's controls, not its text (打印 关闭, 字号 大 中 小, 分享到 微信 微博).
_CONTROLS = (
    "打印本页 打印此页 打印文章 打印 关闭窗口 关闭本页 关闭 下载 全屏 收藏本页 加入收藏 收藏 "
    "分享到 分享 字号 字体 加大 还原 减小 默认 大 中 小 返回顶部 回到顶部 返回 顶部 TOP top "
    "我要纠错 纠错 扫一扫 二维码 微信 朋友圈 新浪微博 腾讯微博 微博 QQ空间 QQ 人人网 豆瓣 "
    "保存本页 保存 视力保护色 大字版 无障碍 繁體 繁体 简体 上一篇 下一篇 上一条 下一条 "
    "网站地图 联系我们 设为首页 首页 正文 阅读 浏览 次 点击 打印正文 在手机打开当前页 "
    # Traditional forms (ctext.org and other Traditional sites).
    "列印 關閉 關閉視窗 下載 收藏 分享 字體 放大 縮小 回到頂部 上一篇 下一篇 打開字典 "
    "顯示注釋 顯示相似段落 相關討論 相關資源 電子圖書館"
).split()
#: Separators between controls: spaces, brackets, bars, colons, arrows, slashes, digits (浏览次数：123).
_SEPARATORS = re.compile(r"[\s【】\[\]［］〔〕|｜/／:：·•,，、>»＞›→\-_=＝*＊0-9０-９]+")
_CONTROL = re.compile("|".join(sorted(map(re.escape, _CONTROLS), key=len, reverse=True)))
#: Labelled lines a site adds (责任编辑：…, 来源：… under the text, 版权所有, ICP licences);
#: short, so a sentence that merely starts with such a word stays text.
#: Any character that is in no control word and no separator.
_NOT_CONTROL = re.compile(
    "[^" + re.escape("".join(sorted(set("".join(_CONTROLS))))) + _SEPARATORS.pattern[1:-2] + "]"
)
_LABELLED = re.compile(
    r"^[\[［【（(]?\s*(?:责任编辑|责编|编辑|校对|审核|审校|来源|稿源|文章来源|信息来源|发布单位|"
    r"主办单位|承办单位|主办|承办|技术支持|网站标识码|访问量|浏览量)\s*[:：]"
)
_LICENCE = re.compile(r"ICP备|公网安备|版权所有|Copyright|All Rights Reserved|©", re.IGNORECASE)
#: A line that is only an address ([https://ctext.org/…], www.example.com).
_URL_ONLY = re.compile(r"^[\[(（<【]?\s*(?:https?://|www\.)\S+\s*[\])）>】]?$", re.IGNORECASE)
#: A download site's notice around a book: its address and its own words (本书由…网收集整理,
#: 仅供交流学习, 版权归原作者; 查看书评…请到…专题网址).
_PROMO = re.compile(
    r"(?:https?://|www\.|\.com|\.net|\.cn|ｗｗｗ)"
    r".*(?:收集整理|仅供|僅供|版权归|版權歸|下载|下載|电子书|電子書|书评|書評|专题|專題|小说|小說)"
    r"|(?:收集整理|仅供|僅供|版权归|版權歸|下载|下載|电子书|電子書|书评|書評|专题|專題|小说|小說)"
    r".*(?:https?://|www\.|\.com|\.net|\.cn|ｗｗｗ)",
    re.IGNORECASE,
)
#: Plain substrings, one of which every _PROMO match holds (lower-cased: "http" for https?://).
_ADDRESS_MARKS = ("http", "www.", ".com", ".net", ".cn", "ｗｗｗ")
#: A photo's caption or credit, its photo gone from the text: …作政府工作报告。本报记者 戴冰摄,
#: 新华社记者 黄敬文摄.
_CAPTION = re.compile(
    r"(?:记者|通讯员|摄影|摄影师)[\s\u3000]*[\u4e00-\u9fff·、\s\u3000]{0,12}摄$"
    r"|。[^。]*记者[\s\u3000]*[\u4e00-\u9fff·]{2,4}$"  # a caption, then its credit
)
#: A caption is short.
CAPTION_MAX = 80
#: The head of a scraped page may name the site before the address: 站名, [https://…], then
#: the title. Lines up to an address line this close to the top are the page's, not the text's.
URL_HEAD_REACH = 5
#: A government site's catalogue table above a document (gov.cn: 索 引 号：… 主题分类：…,
#: 标　　题：…, 发文字号：…); its labels are letter-spaced.
_CATALOGUE = re.compile(
    r"^(?:索引号|主题分类|发文机关|成文日期|标题|发文字号|发布日期|主题词|公文种类|有效性)[:：]"
)
#: A breadcrumb trail: 首页 > 新闻 > 正文, 当前位置：…
_BREADCRUMB = re.compile(r"^(?:当前位置|您的位置|您现在的位置|所在位置)[:：]|(?:[>»＞›→].*){2}")
#: A lone arrow between the parts of a breadcrumb trail, and how long a part may be.
_ARROW = re.compile(r"[>»＞›→]+")
CRUMB_MAX = 12
#: A list of links to other pages closes many scraped articles (相关报道：, 相关链接).
_RELATED = re.compile(
    r"^[【\[]?(?:相关报道|相关链接|相关新闻|相关阅读|相关文章|推荐阅读)[】\]]?[:：]?$"
)
#: Labelled and breadcrumb lines are at most this long; a longer line is text.
LABELLED_MAX = 60
#: The lines after 相关报道： are titles of other pages: each at most this long.
RELATED_LINE_MAX = 50
#: How far from the end 相关报道： may stand and still open the page's closing furniture.
RELATED_REACH = 20


def is_control_line(text: str) -> bool:
    """A line made only of a page's controls (【打印】【关闭】, 字号：大 中 小, 分享到：), at least
    one of them a word of two characters or more (中 alone may be a line of verse)."""
    if _NOT_CONTROL.search(text):  # a character no control or separator has: text (most lines)
        return False
    rest = _SEPARATORS.sub("", _CONTROL.sub("", text))
    words = _CONTROL.findall(text)
    return (not rest and any(len(w) >= 2 for w in words)) or text.strip() in ("【", "】")


def is_control_word(text: str) -> bool:
    """One of a page's controls alone, even a one-character one (大, 中, 小 of 字号)."""
    return bool(_CONTROL.fullmatch(text.strip()))


def is_furniture(text: str) -> bool:
    """A line of a web page's furniture: controls, a site's labels, a breadcrumb trail."""
    text = text.strip()
    if not text:
        return False
    if is_control_line(text) or _URL_ONLY.match(text) or is_promo(text) or is_caption(text):
        return True
    if len(text) > LABELLED_MAX:
        return False
    return bool(_LABELLED.match(text) or _LICENCE.search(text) or _BREADCRUMB.search(text))


def is_caption(text: str) -> bool:
    """A photo's caption or credit line (…本报记者 戴冰摄)."""
    text = text.strip()
    return len(text) <= CAPTION_MAX and bool(_CAPTION.search(text))


def is_promo(text: str) -> bool:
    """A download site's notice or advertisement (an address and 下载/收集整理/版权归…); a
    sentence of the text with a watermark glued after it (痛哭而返。SJTXT小说下载网) stays text."""
    folded = text.lower()
    if not any(a in folded for a in _ADDRESS_MARKS):  # both of _PROMO's branches need one
        return False
    m = _PROMO.search(text)
    return m is not None and not any(c in text[: m.start()] for c in "。！？")


def _head_furniture(text: str) -> bool:
    """At the head, a 来源：/作者： label belongs to the title group (a byline): only controls,
    breadcrumbs and licence lines are furniture there."""
    text = text.strip()
    return (
        is_control_line(text)
        or bool(_URL_ONLY.match(text))
        or bool(_CATALOGUE.match(re.sub(r"[\s\u3000]+", "", text)))
        or is_promo(text)
        or is_caption(text)
        or (len(text) <= LABELLED_MAX and bool(_BREADCRUMB.search(text) or _LICENCE.search(text)))
    )


def leading(texts: list[str]) -> int:
    """How many lines open the text as a page's furniture (before its title)."""
    n = 0
    while n < len(texts) and (_head_furniture(texts[n]) or _crumb(texts, n)):
        n += 1
    # 站名 / [https://…] / title: a short line above an address line is the site's name.
    last_url = max(
        (k for k in range(min(len(texts), URL_HEAD_REACH)) if _URL_ONLY.match(texts[k].strip())),
        default=-1,
    )
    if last_url >= n and all(len(t.strip()) <= LABELLED_MAX for t in texts[n:last_url]):
        n = last_url + 1
        while n < len(texts) and _head_furniture(texts[n]):
            n += 1
    return n


def _crumb(texts: list[str], k: int) -> bool:
    """A breadcrumb trail broken over lines (首页 / > / 政务信息 / > / 宁夏要闻): a lone arrow, or
    a short name next to one."""
    text = texts[k].strip()
    if _ARROW.fullmatch(text):
        return True
    near = [texts[j].strip() for j in (k - 1, k + 1) if 0 <= j < len(texts)]
    return 0 < len(text) <= CRUMB_MAX and any(_ARROW.fullmatch(t) for t in near)


def trailing(texts: list[str]) -> int:
    """How many lines close the text as a page's furniture (after its signature or last
    paragraph), a 相关报道： list of links included."""
    end = len(texts)
    for k in range(max(0, end - RELATED_REACH), end):
        if _RELATED.match(texts[k].strip()) and all(
            len(t) <= RELATED_LINE_MAX and not t.endswith("。") for t in texts[k + 1 :]
        ):
            end = k
            break
    while end > 0 and is_furniture(texts[end - 1]):
        end -= 1
    return len(texts) - end
