"""HTML pages -> main text and metadata: trafilatura for the text, the page's own elements for the rest.

**Text.** trafilatura separates the article from navigation, comments and
sidebars far better than anything we would write. Its defaults lose nothing on
our labelled pages (``bench/html_options.py``); ``favor_recall``, images and a
lowered ``MIN_EXTRACTED_SIZE`` pull in chrome and, on real pages, lost whole
paragraphs, because a lowered floor skips trafilatura's own rescues of short
extractions. The one exception: a short page (under the floor) comes back as one
run-on line from trafilatura's baseline, which the line-based passes cannot
structure, so such a page is extracted again with a floor low enough to keep its
paragraphs.

**Depth.** libxml2 (under lxml and trafilatura) silently drops every element deeper
than 255 levels, so a page nested that deep would yield only its menu: such a page is
first :func:`flatten`-ed (wrapper chains collapsed, then tags beyond a depth cap left out,
text always kept) and parsed again.

**Captions.** Images are not extracted (they bring chrome with them); instead the
captions are found in the tree: ``<figcaption>``, and a short text block right
after a block holding only a photo. Their lines in the text are marked with
:data:`~casebook.importer.credits.CAPTION_MARK` and listed in ``HtmlMeta.captions``.

**Metadata**, each from the element that states it for this article:

- title: :func:`casebook.importer.titles.choose_headline` over ``<h1>`` outside the
  page header, ``og:title``, ``ArticleTitle``, trafilatura's title, ``<title>`` and
  title-classed elements; site names, channel suffixes, column prefixes and logos out;
- date: the article's metadata (``article:published_time``, ``publishdate``,
  ``PubDate``, JSON-LD ``datePublished``, ``<time>``), else the dateline under the
  headline, else trafilatura's (htmldate, ``extensive_search`` off) when that date
  appears in the article text: never a date of a list or sidebar;
- author: a byline (``作者：`` / ``记者`` in the dateline) or an ``author`` meta tag,
  and only names shaped like a person's (2-4 Han characters, no site, account or
  editor words): follow buttons, commenters, ``责任编辑`` and copyright lines never;
- source: ``来源：`` in the dateline or a ``source`` / ``ContentSource`` meta tag;
- sitename: ``og:site_name`` / ``SiteName`` / trafilatura's, cleaned of ``版权所有``,
  ``Copyright``, ``官方网站`` and domain names.

``trafilatura`` and ``lxml`` are imported inside :func:`extract`: importing them
costs about 0.3 s, which a run of plain-text files should not pay.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import CasebookError
from .credits import BYLINE_ROLES, CAPTION_MARK, EDITOR_LABELS
from .hanzi import HAN
from .settings import setting
from .titles import choose_headline, clean_title, is_site_name

if TYPE_CHECKING:
    from lxml.html import HtmlElement

#: trafilatura's floor for a retry of a short page that came back as one run-on line.
SHORT_PAGE_MIN_SIZE = setting("html", "short_page_min_size")
DATELINE_ELEMENTS = setting("html", "dateline_elements")
DATELINE_MAX = setting("html", "dateline_max_chars")
CAPTION_MAX = setting("captions", "max_chars")

#: Meta tags that state the article's own publication date, strongest first.
_DATE_META = (
    "article:published_time", "og:article:published_time", "publishdate", "pubdate", "PubDate",
    "publish_date", "publish-date", "publishtime", "firstpublishedtime", "datePublished",
    "dc.date.issued", "DC.date.issued", "dcterms.created", "date", "og:release_date",
)
_SOURCE_META = ("source", "ContentSource", "contentsource", "og:article:source", "article:source")
_SITE_META = ("og:site_name", "SiteName", "sitename", "site_name", "application-name")
_TITLE_META = ("og:title", "ArticleTitle", "twitter:title", "title")
_DATE = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
#: In a dateline the parts of a date may sit in separate elements (``2024`` ``06/03``).
_SPLIT_DATE = re.compile(r"((?:19|20)\d{2})\s+(\d{1,2})\s*[-/.]\s*(\d{1,2})(?!\d)")
_DATELINE_LABEL = re.compile(r"来源|发布|时间|日期|作者|记者|编辑")
_SOURCE_FIELD = re.compile(
    r"(?:本文来源|文章来源|信息来源|稿件来源|新闻来源|来源|稿源|出处)\s*[:：|｜丨]\s*([^\s|｜丨【】\[\]()（）]{2,24})"
)
#: A byline field in a dateline: ``作者：刘洋 孙静``, ``记者 陈晓 通讯员 余宣``.
_BYLINE = re.compile(rf"{BYLINE_ROLES}\s*[:：]?\s*((?:[{HAN}·]{{2,4}}(?:[\s、，,]+|$))+)")
_NAME = re.compile(rf"^[{HAN}·]{{2,4}}$")
#: Words in an organisation, account, button or role rather than a person's name.
_NOT_PERSON = re.compile(
    rf"{EDITOR_LABELS}|{BYLINE_ROLES}|网|报|台|社|刊|站|局|委|办|院|府|所|厅|部|处|科|队|组|会|馆"
    r"|省|市|县|区|镇|乡|村|街道|社区|中心|发布|观察|视界|频道|新闻|在线|传媒|融媒|官方|平台|工作室|号"
    r"|关注|粉丝|评论|网友|用户|匿名|游客|回复|点赞|分享|收藏|举报|登录|注册|订阅|原创|来源|转载"
)
_COPYRIGHT = re.compile(r"版权所有|版权|Copyright|©|\(c\)|All rights reserved|官方网站|门户网站|官网|网站", re.I)
_DOMAIN = re.compile(r"(?:https?://)?(?:[a-z0-9-]+\.)+(?:com|cn|net|org|gov|edu|cc|tv)\b\S*", re.I)
#: Ancestors (class or id) that mark page furniture rather than the article.
#: Matched against whole words of a class or id (``N-nav-channel`` -> nav).
_CHROME = re.compile(
    r"(?:^|[\s_-])(logo|header|top|topbar|nav|navbar|menu|banner|sidebar|side|aside|footer|foot|bottom|copyright"
    r"|comment|comments|reply|tie|related|recommend|recommends|rank|hot|share|follow|breadcrumb|crumb|location)"
    r"(?=$|[\s_-])",
    re.I,
)
#: The narrower set for the headline's own element: article headers are often called ``header``.
_NOT_ARTICLE = re.compile(
    r"(?:^|[\s_-])(logo|nav|navbar|menu|sidebar|side|aside|footer|foot|comment|comments|related|recommend|rank|hot)"
    r"(?=$|[\s_-])",
    re.I,
)
_IMG_BLOCK = ("p", "div", "section", "figure", "center", "span", "td")


@dataclass(frozen=True)
class HtmlMeta:
    title: str | None = None
    date: str | None = None
    author: str | None = None  # person names from a byline, space-separated
    sitename: str | None = None
    url: str | None = None
    source: str | None = None  # 来源 of this article (dateline or meta tag), not the site
    captions: tuple[str, ...] = ()  # caption lines found in the tree (marked in the text)


def extract(html: str, source: str, url: str | None = None) -> tuple[str, HtmlMeta]:
    """The article text and metadata of one page; an error when no article is found."""
    import trafilatura
    from lxml import html as lxml_html
    from trafilatura.settings import Document, use_config

    def run(min_size: int | None) -> Any:
        options: dict[str, Any] = {}
        if min_size is not None:
            options["config"] = config = use_config()
            config.set("DEFAULT", "MIN_EXTRACTED_SIZE", str(min_size))
        return trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, **options,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )

    html, tree = page_tree(html, source)
    doc = run(None)
    if isinstance(doc, Document) and doc.text and "\n" not in doc.text.strip():
        retry = run(SHORT_PAGE_MIN_SIZE)  # a short page returned as one run-on line
        if isinstance(retry, Document) and retry.text and "\n" in retry.text.strip():
            doc = retry
    if not isinstance(doc, Document) or not doc.text:
        raise CasebookError("no article text found in this HTML page", source)
    text: str = doc.text
    if not isinstance(tree, lxml_html.HtmlElement):
        return text, HtmlMeta(doc.title and clean_title(doc.title), doc.date, None, None, doc.url or url)

    text = _unflatten_cells(text, tree)
    sites = _site_names(tree, doc.sitename)
    title = choose_headline(_title_candidates(tree, doc.title), sites)
    heading = headline_element(tree, title)
    dateline = _dateline(tree, heading)
    text, captions = _mark_captions(text, _captions(tree))
    meta = HtmlMeta(
        title=title,
        date=_own_date(tree, dateline, doc.date, text),
        author=_author(tree, dateline),
        sitename=sites[0] if sites else None,
        url=doc.url or url,
        source=_source(tree, dateline, sites),
        captions=tuple(captions),
    )
    return text, meta


# -- nesting depth -------------------------------------------------------------------------

#: libxml2's limit (without XML_PARSE_HUGE): deeper elements are dropped with only a log entry.
LIBXML_MAX_DEPTH = 255
#: Wrappers deeper than this are taken out of a page that reaches the limit (their text stays).
MAX_DEPTH = 200
_TOO_DEEP = object()
#: Elements that have no content or closing tag.
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
#: Elements an open one of the same name closes (``<p>a<p>b``), as the HTML parser does.
_SELF_CLOSING = frozenset("p li dt dd tr td th option".split())
#: Raw-text elements, comments, doctypes and processing instructions are copied whole;
#: tags are the only tokens that count.
_TOKEN = re.compile(
    r"<!--.*?(?:-->|$)|<(script|style|textarea|title)\b[^>]*>.*?(?:</\1\s*>|$)|<![^>]*>|<\?[^>]*>"
    r"|<(/?)([A-Za-z][\w:-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>",
    re.S | re.I,
)


def page_tree(html: str, source: str) -> tuple[str, Any]:
    """The page (flattened when too deep) and its tree (None when unparsable).

    libxml2 stops building the tree at 255 levels and drops everything deeper without
    a word, trafilatura included: a page nested that deep would come out as its
    navigation menu. Its wrappers beyond MAX_DEPTH are taken out instead."""
    tree = _parse(html)
    if tree is _TOO_DEEP:
        html = flatten(html)
        tree = _parse(html)
        if tree is _TOO_DEEP:
            raise CasebookError(f"the page is nested more than {LIBXML_MAX_DEPTH} elements deep and "
                                "could not be flattened: its article may be lost, so it is not imported", source)
    return html, tree


def _parse(html: str) -> Any:
    """The page tree; ``_TOO_DEEP`` when libxml2 cut it at its depth limit; None when unparsable."""
    from lxml import html as lxml_html

    parser = lxml_html.HTMLParser()
    try:
        tree = lxml_html.fromstring(html, parser=parser)
    except (ValueError, lxml_html.etree.ParserError):
        return None
    if any(e.type_name == "ERR_RESOURCE_LIMIT" or "Excessive depth" in e.message for e in parser.error_log):
        return _TOO_DEEP
    return tree


def flatten(html: str, max_depth: int = MAX_DEPTH) -> str:
    """``html`` shallow enough for libxml2, with all its text.

    First the middle of every chain of wrappers is taken out: a ``<div>`` (``<span>``,
    ``<section>``, ``<font>``…) that holds nothing but one such wrapper, inside one, adds
    no structure; the chain's outermost and innermost elements stay, with their classes.
    What is still deeper than ``max_depth`` then loses its tags beyond that depth (its
    text stays, in order)."""
    tokens = _tokens(html)
    _collapse_chains(tokens)
    return _cap_depth(tokens, max_depth)


#: Elements that only wrap: taken out of the middle of a chain of them.
_WRAPPERS = frozenset("div span section article main font center b i u em strong small big blockquote".split())


@dataclass
class _Tag:
    """One tag of a page, in order; ``text`` is what stands between it and the next tag."""

    raw: str
    name: str | None  # None for text only, comments and raw-text elements
    closing: bool = False
    void: bool = False
    drop: bool = False
    text: str = ""


@dataclass
class _Open:
    start: _Tag
    parent: _Open | None
    children: list[_Open]
    elements: int = 0  # child elements, voids and raw-text elements included
    has_text: bool = False
    end: _Tag | None = None

    @property
    def single(self) -> bool:
        return self.elements == 1 and len(self.children) == 1 and not self.has_text


def _tokens(html: str) -> list[_Tag]:
    tokens = [_Tag("", None)]
    pos = 0
    for m in _TOKEN.finditer(html):
        tokens[-1].text += html[pos:m.start()]
        pos = m.end()
        if m.group(3) is None:
            raw_text = m.group(1) is not None
            tokens.append(_Tag(m.group(0), "#raw" if raw_text else None))
        else:
            name = m.group(3).lower()
            void = name in _VOID or m.group(4).rstrip().endswith("/")
            tokens.append(_Tag(m.group(0), name, closing=bool(m.group(2)), void=void))
    tokens[-1].text += html[pos:]
    return tokens


def _tree(tokens: list[_Tag]) -> list[_Open]:
    """The elements the tags open, as the HTML parser would nest them (roughly)."""
    root = _Open(_Tag("", "#root"), None, [])
    stack, elements = [root], []
    for tok in tokens:
        top = stack[-1]
        if tok.name is not None and not tok.closing:
            if tok.name in _SELF_CLOSING and top.start.name == tok.name and len(stack) > 1:
                stack.pop()  # ``<p>a<p>b``: the second closes the first
                top = stack[-1]
            top.elements += 1
            if tok.name != "#raw" and not tok.void:
                node = _Open(tok, top, [])
                top.children.append(node)
                elements.append(node)
                stack.append(node)
        elif tok.closing:
            for i in range(len(stack) - 1, 0, -1):
                if stack[i].start.name == tok.name:
                    stack[i].end = tok
                    del stack[i:]
                    break
            else:
                tok.drop = True  # a stray end tag: the parser ignores it too
        if tok.text.strip():
            stack[-1].has_text = True
    return elements


def _collapse_chains(tokens: list[_Tag]) -> None:
    for node in _tree(tokens):
        parent = node.parent
        if (node.start.name in _WRAPPERS and node.single and node.children[0].single
                and parent is not None and parent.single):
            node.start.drop = True
            if node.end is not None:
                node.end.drop = True


def _cap_depth(tokens: list[_Tag], max_depth: int) -> str:
    out: list[str] = []
    stack: list[tuple[str, bool]] = []  # open elements: (name, kept)
    for tok in tokens:
        if tok.drop or tok.name is None or tok.name == "#raw" or tok.void:
            if not tok.drop:
                out.append(tok.raw)
        elif tok.closing:
            for i in range(len(stack) - 1, -1, -1):
                if stack[i][0] == tok.name:
                    if stack[i][1]:
                        out.append(tok.raw)
                    del stack[i:]
                    break
        else:
            if tok.name in _SELF_CLOSING and stack and stack[-1][0] == tok.name:
                stack.pop()
            kept = len(stack) < max_depth
            stack.append((tok.name, kept))
            if kept:
                out.append(tok.raw)
        out.append(tok.text)
    return "".join(out)


# -- title ---------------------------------------------------------------------------------


def _meta(tree: HtmlElement, names: tuple[str, ...]) -> list[str]:
    found = []
    for name in names:
        for value in tree.xpath(f'//meta[@name="{name}" or @property="{name}" or @itemprop="{name}"]/@content'):
            if value.strip():
                found.append(value.strip())
    return found


def in_chrome(el: HtmlElement, chrome: re.Pattern[str] = _CHROME) -> bool:
    """Inside the page header, navigation, a sidebar, comments or the footer."""
    tags = ("header", "nav", "footer", "aside") if chrome is _CHROME else ("nav", "footer", "aside")
    for node in [el, *el.iterancestors()]:
        if node.tag in tags:
            return True
        marks = f"{node.get('class', '')} {node.get('id', '')}"
        if marks.strip() and chrome.search(marks):
            return True
    return False


def element_text(el: HtmlElement) -> str:
    return re.sub(r"\s+", " ", el.text_content()).strip()


def _title_candidates(tree: HtmlElement, extracted: str | None) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    found += [("h1", element_text(h)) for h in tree.xpath("//body//h1")
              if not in_chrome(h, _NOT_ARTICLE) and not h.xpath(".//img")]
    found += [("meta", value) for value in _meta(tree, _TITLE_META)]
    if extracted:
        found.append(("trafilatura", extracted))
    found += [("title", element_text(t)) for t in tree.xpath("//head/title")]
    classed = tree.xpath(
        "//body//*[self::h1 or self::h2 or self::h3 or self::div or self::td or self::p or self::span]"
        "[contains(@class, 'title') or contains(@id, 'title')][not(.//p)]"
    )
    found += [("heading", element_text(el)) for el in classed if 4 <= len(element_text(el)) <= 80 and not in_chrome(el)]
    return found


def headline_element(tree: HtmlElement, title: str | None) -> HtmlElement | None:
    """The body element that shows the headline (the deepest one holding it)."""
    if not title:
        return None
    holders = [
        el for el in tree.xpath("//body//*[self::h1 or self::h2 or self::h3 or self::div or self::td or self::p]")
        if title in clean_title(element_text(el)) and len(element_text(el)) <= len(title) + 40
        and not in_chrome(el, _NOT_ARTICLE)
    ]
    for el in holders:
        if not any(other is not el and el in other.iterancestors() for other in holders):
            return el  # the first holder with no holder inside it
    return None


# -- dateline, date, author, source --------------------------------------------------------


def _own_text(el: HtmlElement) -> str:
    parts = [el.text or ""] + [child.tail or "" for child in el]
    return " ".join(p.strip() for p in parts if p.strip())


def _dateline_part(elements: list[HtmlElement], chrome: re.Pattern[str] = _CHROME) -> list[str]:
    parts: list[str] = []
    for el in elements:
        if not isinstance(el.tag, str) or el.tag in ("script", "style") or in_chrome(el, chrome):
            continue
        if el.tag in ("li", "ul", "ol") or any(a.tag in ("li", "ul", "ol") for a in el.iterancestors()):
            continue  # a list of other articles
        own = _own_text(el)
        if not own:
            continue
        if len(element_text(el)) > DATELINE_MAX or len(own) > DATELINE_MAX or re.search(r"[。！？]", own):
            break  # the article starts
        parts.append(own)
        if len(parts) >= DATELINE_ELEMENTS:
            break
    return parts


def _dateline(tree: HtmlElement, heading: HtmlElement | None) -> str:
    """Text of the short elements right after the headline (up to the article's first
    paragraph), then of those right before it within its own block (a date shown above
    the headline). Without a headline element, the first labelled dateline of the page."""
    if heading is None:
        for el in tree.xpath("//body//*[self::div or self::p or self::span or self::td]"):
            own = element_text(el)
            if len(own) <= DATELINE_MAX and _DATE.search(own) and _DATELINE_LABEL.search(own) and not in_chrome(el):
                return own
        return ""
    after = _dateline_part(heading.xpath("following::*")[: DATELINE_ELEMENTS * 3])
    before = ""
    headline = element_text(heading)
    for i, block in enumerate(heading.iterancestors()):
        if i == 3 or block.tag == "body" or block.xpath(".//li") or in_chrome(block, _NOT_ARTICLE):
            break
        text = element_text(block)
        head = text[: text.find(headline)] if headline in text else ""
        if len(head) > DATELINE_MAX:
            break
        before = head  # the widest block around the headline whose text above it is short
    return " ".join(after) + " | " + before


def _date_of(value: str, split: bool = False) -> str | None:
    match = _DATE.search(value) or (_SPLIT_DATE.search(value) if split else None)
    if not match:
        return None
    year, month, day = match.group(1), int(match.group(2)), int(match.group(3))
    return f"{year}-{month:02d}-{day:02d}" if 1 <= month <= 12 and 1 <= day <= 31 else None


def _json_ld_dates(tree: HtmlElement) -> list[str]:
    found = []
    for script in tree.xpath('//script[@type="application/ld+json"]/text()'):
        try:
            data = json.loads(script)
        except ValueError:
            continue
        for item in data if isinstance(data, list) else [data]:
            if isinstance(item, dict) and isinstance(item.get("datePublished"), str):
                found.append(item["datePublished"])
    return found


def _own_date(tree: HtmlElement, dateline: str, extracted: str | None, text: str) -> str | None:
    """The article's date: its metadata, its dateline, or trafilatura's when the article shows it."""
    stated = _meta(tree, _DATE_META) + _json_ld_dates(tree)
    stated += [t.get("datetime") or element_text(t) for t in tree.xpath("//body//time") if not in_chrome(t)]
    stated += [element_text(t) for t in tree.xpath('//*[@id="publish_time"]')]
    for value in stated:
        if value and (date := _date_of(value)):
            return date
    if date := _date_of(dateline, split=True):
        return date
    if extracted and (date := _date_of(extracted)):
        year, month, day = date.split("-")
        shown = rf"{year}\s*[-/.年]\s*0?{int(month)}\s*[-/.月]\s*0?{int(day)}"
        if re.search(shown, text):
            return date
    return None


def is_person_name(name: str) -> bool:
    """2-4 Han characters and no word of a site, account, button or role."""
    return bool(_NAME.match(name)) and not _NOT_PERSON.search(name)


def _names(value: str) -> list[str]:
    return [n for n in re.split(r"[\s、，,;；/]+", value) if n]


def _author(tree: HtmlElement, dateline: str) -> str | None:
    """Person names from the dateline's byline, else from the ``author`` meta tag."""
    names: list[str] = []
    for match in _BYLINE.finditer(dateline):
        names += [n for n in _names(match.group(2)) if is_person_name(n)]
    if not names:
        for value in _meta(tree, ("author", "article:author", "Author")):
            candidates = _names(value)
            if candidates and all(is_person_name(n) for n in candidates):
                names += candidates
                break
    unique = list(dict.fromkeys(names))
    return " ".join(unique) or None


def clean_site_name(value: str | None) -> str | None:
    """A site name without copyright words, 官方网站 or domain names; None when nothing is left."""
    if not value:
        return None
    value = _DOMAIN.sub(" ", value)
    value = re.sub(r"(?:19|20)\d{2}(?:\s*[-–]\s*(?:19|20)\d{2})?", " ", value)
    value = _COPYRIGHT.sub(" ", value)
    value = re.split(r"[\s|｜丨_]+", value.strip(" -–—·,，:："))[0] if value.strip() else ""
    value = value.strip(" -–—·,，:：")
    return value if len(value) >= 2 and re.search(f"[{HAN}A-Za-z]", value) else None


def _site_names(tree: HtmlElement, extracted: str | None) -> list[str]:
    found = [clean_site_name(v) for v in _meta(tree, _SITE_META)]
    found += [clean_site_name(extracted)]
    found += [clean_site_name(element_text(el)) for el in tree.xpath('//*[@id="js_name"]')]  # WeChat account
    names = [n for n in found if n]
    # A site segment of <title> (标题_XX网) names the site when no tag does.
    for title in tree.xpath("//head/title"):
        segments = re.split(r"\s*(?:--+|_+|[|｜丨]|\s[-—–]\s|(?<=[^\d\s])-(?=[^\d\s]))\s*", element_text(title))
        if len(segments) > 1 and is_site_name(segments[-1], weak=False):
            names.append(segments[-1])
    return list(dict.fromkeys(names))


#: A platform hosting accounts (微信公众平台, 网易订阅, 百家号): its accounts are the publishers.
_PLATFORM = re.compile(r"(平台|订阅|号|头条)$")


def _source(tree: HtmlElement, dateline: str, sites: list[str]) -> str | None:
    """``来源：`` in the dateline, a source meta tag, or the account on a platform; never a copyright line.

    ``人民网－人民日报`` is the paper the site reprinted (人民日报); ``人民网－四川频道`` the site.
    """
    values = [m.group(1) for m in _SOURCE_FIELD.finditer(dateline)]
    values += [re.sub(r"^(?:来源|稿源|出处)\s*[:：]\s*", "", v) for v in _meta(tree, _SOURCE_META)]
    values += [element_text(el) for el in tree.xpath('//*[@id="js_name"]')]  # a WeChat account
    if sites and _PLATFORM.search(sites[0]):
        values += [v for v in _meta(tree, ("article:author", "author")) if not is_person_name(v)]
    for value in values:
        value = value.strip(" 　,，。;；:：")
        pair = re.fullmatch(r"(\S{2,12}?)\s*[－—-]\s*(\S{2,12})", value)
        if pair and is_site_name(pair.group(1), sites, weak=False):
            value = pair.group(1) if pair.group(2).endswith("频道") else pair.group(2)
        if len(value) >= 2 and not _COPYRIGHT.search(value) and not _DOMAIN.search(value):
            return value
    return None


def _cell_lines(cell: HtmlElement) -> list[str]:
    """The paragraphs of a table cell: its block children, or its text split at ``<br>``."""
    blocks = [element_text(b) for b in cell if isinstance(b.tag, str) and b.tag in ("p", "div", "section")]
    if len([b for b in blocks if b]) > 1:
        return [b for b in blocks if b]
    parts, current = [], [cell.text or ""]
    for child in cell.iter():
        if child is cell:
            continue
        if child.tag == "br":
            parts.append("".join(current))
            current = []
        elif child.text and child.getparent() is not None and child.tag != "br":
            current.append(child.text)
        current.append(child.tail or "")
    parts.append("".join(current))
    return [re.sub(r"\s+", " ", p).strip() for p in parts if p.strip()]


def _unflatten_cells(text: str, tree: HtmlElement) -> str:
    """Old table layouts put the whole article in one cell, which trafilatura renders as one
    ``| …`` row: give such a row back its paragraphs from the cell in the tree."""
    out = []
    for line in text.split("\n"):
        row = line.strip().strip("|").strip()
        if not line.startswith("|") or "|" in row or len(row) < DATELINE_MAX:
            out.append(line)
            continue
        key = squash(row)
        cells = [c for c in tree.xpath("//td") if squash(c.text_content()) == key]
        lines = _cell_lines(cells[0]) if cells else []
        out.extend(lines if len(lines) > 1 else [line])
    return "\n".join(out)


# -- captions ------------------------------------------------------------------------------


def photo_only(el: HtmlElement) -> bool:
    return el.tag in _IMG_BLOCK and bool(el.xpath(".//img")) and not element_text(el)


_BLOCKS = "self::p or self::div or self::section or self::li or self::h1 or self::h2 or self::h3 or self::h4"


def neighbours(el: HtmlElement) -> tuple[str, str]:
    """Text of the nearest text block before ``el`` and after it (``el``'s own text excluded)."""
    before = [b for b in el.xpath(f"preceding::*[{_BLOCKS}]") if _own_text(b)]
    after = [b for b in el.xpath(f"following::*[{_BLOCKS}]") if _own_text(b)]
    return (element_text(before[-1]) if before else "", element_text(after[0]) if after else "")


@dataclass(frozen=True)
class _Caption:
    text: str
    before: str  # the text block above the photo
    after: str  # the text block below the caption


#: Blocks that may hold only a photo, its caption in the next block.
PHOTO_BLOCKS = "//body//*[self::p or self::div or self::section or self::figure or self::center]"


def caption_below(block: HtmlElement) -> HtmlElement | None:
    """The caption of a photo-only ``block``: the next block when it is short, one sentence at
    most and holds no picture itself."""
    nxt = block.getnext()
    if nxt is None or not isinstance(nxt.tag, str) or nxt.xpath(".//img"):
        return None
    caption = element_text(nxt)
    inner = re.findall(r"[。！？!?]", caption.rstrip("。！？!? "))
    return nxt if 2 <= len(caption) <= CAPTION_MAX and len(inner) <= 1 else None


def _captions(tree: HtmlElement) -> list[_Caption]:
    """``<figcaption>`` texts, and short blocks of one sentence right after a photo-only block."""
    found = []
    for fig in tree.xpath("//body//figcaption"):
        holder = next((a for a in fig.iterancestors() if a.tag == "figure"), fig)
        found.append(_Caption(element_text(fig), *neighbours(holder)))
    for block in tree.xpath(PHOTO_BLOCKS):
        if photo_only(block) and (nxt := caption_below(block)) is not None:
            found.append(_Caption(element_text(nxt), neighbours(block)[0], neighbours(nxt)[1]))
    return [c for c in {c.text: c for c in found if c.text}.values()]


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _mark_captions(text: str, captions: list[_Caption]) -> tuple[str, list[str]]:
    """Mark caption lines with CAPTION_MARK; put back a caption trafilatura dropped when the
    photo sat between two lines of the article. Returns the text and the captions marked."""
    lines = text.split("\n")
    squashed = [squash(line) for line in lines]
    marked = []
    for caption in captions:
        key = squash(caption.text)
        if key in squashed:
            i = squashed.index(key)
            lines[i] = CAPTION_MARK + lines[i].strip()
        else:
            before, after = squash(caption.before), squash(caption.after)
            if not (before in squashed and after in squashed):
                continue  # not inside the article (a QR code under the last line, a sidebar)
            i = squashed.index(before)
            if squashed.index(after) != i + 1:
                continue
            lines.insert(i + 1, CAPTION_MARK + caption.text)
        squashed = [squash(line.removeprefix(CAPTION_MARK)) for line in lines]
        marked.append(caption.text)
    return "\n".join(lines), marked
