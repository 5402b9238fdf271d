#!/usr/bin/env python3
"""Write N deterministic, realistic Chinese case files for benchmarks and tests.

    python bench/gen_corpus.py OUT N [--seed 5] [--format casebook|pelican|hugo]

Each file is a valid casebook case: 1,500-4,000 characters of Chinese Markdown with
several headings, lists, a quote, a table or footnote in some, a fenced code block in a
few; front-matter covers all 34 provinces (round-robin, so every province appears once
N >= 34) and every practice type of ``data/practices.yaml``; about one case in eight
profiles sub-cases whose anchors match ``## heading {#anchor}`` in the body. The same
seed and N always give the same bytes.

``--format pelican`` writes the same cases as Pelican Markdown (``Key: value`` metadata;
Category = province, Tags = practices); ``--format hugo`` as Hugo content (YAML front
matter, full dates). Both keep the body unchanged, so the three tools render the same text.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]

# A few real prefecture-level cities and counties per province (province name -> [(city, [counties])]).
CITIES: dict[str, list[tuple[str, list[str]]]] = {
    "北京市": [("北京市", ["朝阳区", "海淀区", "东城区", "丰台区"])],
    "天津市": [("天津市", ["和平区", "河西区", "滨海新区"])],
    "河北省": [("石家庄市", ["长安区", "正定县"]), ("保定市", ["竞秀区", "涿州市"])],
    "山西省": [("太原市", ["小店区", "迎泽区"]), ("大同市", ["平城区", "云冈区"])],
    "内蒙古自治区": [("呼和浩特市", ["新城区", "赛罕区"]), ("包头市", ["昆都仑区", "青山区"])],
    "辽宁省": [("沈阳市", ["和平区", "皇姑区"]), ("大连市", ["中山区", "甘井子区"])],
    "吉林省": [("长春市", ["朝阳区", "南关区"]), ("吉林市", ["船营区", "丰满区"])],
    "黑龙江省": [("哈尔滨市", ["道里区", "南岗区"]), ("齐齐哈尔市", ["龙沙区", "建华区"])],
    "上海市": [("上海市", ["浦东新区", "徐汇区", "静安区", "杨浦区"])],
    "江苏省": [("南京市", ["鼓楼区", "江宁区"]), ("苏州市", ["姑苏区", "昆山市"])],
    "浙江省": [("杭州市", ["西湖区", "余杭区"]), ("宁波市", ["海曙区", "鄞州区"])],
    "安徽省": [("合肥市", ["蜀山区", "包河区"]), ("滁州市", ["琅琊区", "天长市"])],
    "福建省": [("福州市", ["鼓楼区", "仓山区"]), ("厦门市", ["思明区", "湖里区"])],
    "江西省": [("南昌市", ["东湖区", "红谷滩区"]), ("赣州市", ["章贡区", "瑞金市"])],
    "山东省": [("济南市", ["历下区", "市中区"]), ("青岛市", ["市南区", "崂山区"])],
    "河南省": [("郑州市", ["金水区", "二七区"]), ("洛阳市", ["西工区", "涧西区"])],
    "湖北省": [("武汉市", ["江岸区", "武昌区"]), ("宜昌市", ["西陵区", "夷陵区"])],
    "湖南省": [("长沙市", ["岳麓区", "天心区"]), ("株洲市", ["天元区", "芦淞区"])],
    "广东省": [("广州市", ["天河区", "越秀区"]), ("深圳市", ["南山区", "福田区"])],
    "广西壮族自治区": [("南宁市", ["青秀区", "西乡塘区"]), ("柳州市", ["城中区", "鱼峰区"])],
    "海南省": [("海口市", ["龙华区", "美兰区"]), ("三亚市", ["吉阳区", "天涯区"])],
    "重庆市": [("重庆市", ["渝中区", "江北区", "九龙坡区"])],
    "四川省": [("成都市", ["武侯区", "锦江区"]), ("绵阳市", ["涪城区", "游仙区"])],
    "贵州省": [("贵阳市", ["南明区", "云岩区"]), ("毕节市", ["七星关区", "大方县"])],
    "云南省": [("昆明市", ["五华区", "嵩明县"]), ("玉溪市", ["红塔区", "澄江市"])],
    "西藏自治区": [("拉萨市", ["城关区", "堆龙德庆区"]), ("日喀则市", ["桑珠孜区"])],
    "陕西省": [("西安市", ["雁塔区", "碑林区"]), ("安康市", ["汉滨区", "白河县"])],
    "甘肃省": [("兰州市", ["城关区", "七里河区"]), ("天水市", ["秦州区", "麦积区"])],
    "青海省": [("西宁市", ["城东区", "城西区"]), ("海东市", ["乐都区", "平安区"])],
    "宁夏回族自治区": [("银川市", ["兴庆区", "金凤区"]), ("吴忠市", ["利通区", "青铜峡市"])],
    "新疆维吾尔自治区": [("乌鲁木齐市", ["天山区", "沙依巴克区"]), ("克拉玛依市", ["克拉玛依区"])],
    "台湾省": [("台北市", ["中正区", "大安区"])],
    "香港特别行政区": [("香港", ["中西区", "油尖旺区"])],
    "澳门特别行政区": [("澳门", ["花地玛堂区", "风顺堂区"])],
}

PLACES = ["幸福", "和平", "光明", "新华", "胜利", "东风", "红星", "翠湖", "桃园", "青年", "解放", "长青",
          "金桥", "锦绣", "安康", "兴隆", "永安", "民主", "文化", "建设", "朝阳", "龙泉", "凤凰", "仪凤"]
UNITS = ["社区", "村", "街道", "小区", "镇"]
SOURCES = ["人民网", "新华网", "中国社区网", "党建网", "基层治理观察", "云贵高原生活指南", "城市社区在线", None]
AUTHORS = ["王芳", "李明", "张伟", "刘洋", "陈静", "杨帆", "赵磊", "黄丽", "周强", "吴敏"]
ACTIONS = ["党建引领", "网格走访", "议事协商", "志愿服务", "资源整合", "数字赋能", "共建共治", "精准服务",
           "阵地提升", "居民自治", "清单管理", "多元参与"]
EFFECTS = ["居民满意度", "问题办结率", "服务覆盖面", "参与率", "响应速度", "矛盾化解率"]

SENTENCES = [
    "{place}坚持以人民为中心的发展思想，把{action}贯穿基层治理全过程，推动服务资源向一线下沉。",
    "针对辖区老旧小区多、公共服务空间不足等问题，{place}整合各方资源，累计投入资金{money}万元，完成改造项目{n}个。",
    "通过“入户走访+问卷调查+云端征集”三维矩阵，累计收集养老服务、儿童托管、就业指导等民生诉求{n}条，建立动态更新的需求台账。",
    "推行“群众点单、中心派单、联盟接单”服务模式，协助解决民生问题{n}件次，累计服务群众{big}人次。",
    "组建{n}支志愿服务队，吸纳志愿者{big}名，开展各类志愿服务活动{n2}场次，形成“党员带头、群众参与”的良好氛围。",
    "建立“每月大活动+每周小活动”服务日历，年均举办政策宣讲、技能培训等主题活动{n}余场次。",
    "以网格为单元划分责任，{n}名专职网格员常态化开展“敲门行动”，做到小事不出网格、大事不出社区。",
    "依托党群服务中心功能室，开设老年大学、四点半课堂、暑托班等{n}类课程，惠及居民{big}人次。",
    "设立“一站式”综合服务大厅，整合社保、医保、民政等{n}个服务窗口，实现“进一道门、办所有事”。",
    "创新开发“智慧{short}”微信小程序，居民可通过移动端实时上报隐患、预约服务、参与议事，累计处理事项{big}件。",
    "推行积分奖励制度，设置线上线下双渠道积分兑换体系，形成“发现—处置—反馈—激励”闭环机制。",
    "与{n}家驻区单位签订共建协议，建立需求清单{n2}项、资源清单{n3}项、项目清单{n4}项，推动区域党建资源和群众需求有效对接。",
    "组建由社区民警、调解主任、法律顾问等组成的调解队，{year}年调处矛盾纠纷{n}起，调解成功率达{pct}%。",
    "打造“幸福食堂”，为辖区{n}岁以上老年人提供助餐服务，日均供餐{n2}份，解决了老年人“吃饭难”问题。",
    "聚焦新就业群体，建设“骑手驿站”{n}个，提供歇脚休息、饮水充电等暖心服务，惠及快递员、外卖骑手{big}人次。",
    "发展壮大村集体经济，盘活闲置资产{n}处，{year}年村集体经营性收入达到{money}万元，同比增长{pct}%。",
    "推动物业服务企业、业主委员会和社区“三方联动”，化解物业纠纷{n}起，小区环境明显改善。",
    "以“传统节日+”为载体，开展“我们的节日”系列活动{n}场，让居民感受社区大家庭的温暖。",
    "坚持问题导向，梳理出基层治理中的堵点难点问题{n}个，逐项明确责任人和完成时限，实行销号管理。",
    "各类服务事项办理时限平均压缩{pct}%，群众往返次数明显减少，{effect}持续提升。",
    "通过院坝会、恳谈会、议事会等形式，居民群众共商共议小区停车、加装电梯等公共事务{n}项。",
    "在资金保障上，采取“财政补一点、单位筹一点、社会捐一点”的方式，多渠道筹集资金{money}万元。",
    "下一步，{place}将持续深化{action}，形成可复制、可推广的经验做法，不断提升群众的获得感、幸福感、安全感。",
    "实践表明，只有把群众的“需求清单”变成“服务清单”，才能真正把工作做到群众心坎上。",
]
HEADINGS = ["背景与起因", "主要做法", "创新机制", "工作成效", "经验启示", "存在的问题", "下一步打算", "群众反响"]
SUBHEADINGS = ["一是{action}", "二是完善机制", "三是强化保障", "聚焦{effect}", "打造服务品牌", "健全工作体系"]
QUOTES = [
    "以前办事要跑好几个地方，现在在家门口就能办好，方便多了。",
    "社区就像一个大家庭，有事大家一起商量着办。",
    "网格员每周都来走访，我们有什么困难都愿意跟他们说。",
    "孩子放学后有地方去、有人照看，我们上班也安心了。",
]
CODE = [
    ("yaml", "服务时间:\n  周一至周五: \"08:30-17:30\"\n  周六: \"09:00-12:00\"\n窗口: [社保, 医保, 民政]\n"),
    ("json", '{{"网格": {count}, "网格员": {n}, "楼栋长": {n2}}}\n'),
    ("text", "需求收集 -> 清单梳理 -> 项目认领 -> 群众评价\n"),
]


def _fill(rng: random.Random, template: str, place: str, short: str) -> str:
    return template.format(
        place=place, short=short, action=rng.choice(ACTIONS), effect=rng.choice(EFFECTS),
        n=rng.randint(3, 99), n2=rng.randint(5, 300), n3=rng.randint(5, 60), n4=rng.randint(3, 30),
        big=rng.randint(200, 20000), money=rng.randint(5, 800), pct=rng.randint(10, 99),
        year=rng.randint(2019, 2025), count=rng.randint(5, 80),
    )


def _paragraph(rng: random.Random, place: str, short: str) -> str:
    return "".join(_fill(rng, rng.choice(SENTENCES), place, short) for _ in range(rng.randint(2, 5)))


def _case(rng: random.Random, i: int, provinces: list[dict], practices: list[str]) -> tuple[dict, str]:
    prov = provinces[i % len(provinces)]
    city, counties = rng.choice(CITIES[prov["name"]])
    county = rng.choice(counties)
    place = rng.choice(PLACES) + rng.choice(UNITS)
    short = place[:2]
    chosen = rng.sample(practices, rng.randint(1, 4))
    # Every practice appears: case i leads with practice i mod 14.
    lead = practices[i % len(practices)]
    chosen = [lead] + [p for p in chosen if p != lead][:3]
    year, month, day = rng.randint(2016, 2025), rng.randint(1, 12), rng.randint(1, 28)
    date = f"{year}-{month:02d}" if rng.random() < 0.05 else f"{year}-{month:02d}-{day:02d}"
    title = f"{county}{place}：{rng.choice(ACTIONS)}{rng.choice(['打造', '激活', '破解', '构建'])}" \
            f"{rng.choice(['幸福家园', '治理新格局', '服务“最后一公里”', '共治共享新局面', '民生微实事'])}（{i + 1}）"
    meta: dict = {"title": title, "slug": f"{prov['slug']}-{i + 1:05d}", "date": date,
                  "province": prov["name"], "city": city, "county": county, "place": place}
    source = rng.choice(SOURCES)
    if source:
        meta["source"] = source
        if rng.random() < 0.5:
            meta["source_url"] = f"https://example.org/{prov['slug']}/{i + 1}.html"
    if rng.random() < 0.3:
        meta["authors"] = rng.sample(AUTHORS, rng.randint(1, 2))
    meta["practices"] = chosen
    meta["summary"] = _fill(rng, "{place}以{action}为抓手，聚焦群众急难愁盼问题，累计服务群众{big}人次，{effect}达到{pct}%。",
                            f"{county}{place}", short)
    if rng.random() < 0.6:
        meta["figures"] = [{"value": f"{rng.randint(3, 9999)}{rng.choice(['个', '人次', '件', '万元', '%'])}",
                            "label": rng.choice(["服务群众", "化解矛盾", "志愿者", "投入资金", "满意率", "服务项目"])}
                           for _ in range(rng.randint(2, 4))]
    if rng.random() < 0.1:
        meta["tags"] = rng.sample(["示范点", "典型案例", "经验交流", "调研报告"], 2)

    target = rng.randint(1500, 4000)
    parts: list[str] = [_paragraph(rng, place, short)]
    subs = []
    if rng.random() < 0.125:
        for k in range(rng.randint(2, 3)):
            p2 = provinces[(i + 7 * (k + 1)) % len(provinces)] if rng.random() < 0.3 else prov
            c2, cs2 = rng.choice(CITIES[p2["name"]])
            sub = {"name": f"{rng.choice(cs2)}{rng.choice(PLACES)}社区党群服务中心", "province": p2["name"],
                   "city": c2, "anchor": f"site-{k + 1}"}
            if rng.random() < 0.5:
                sub["practices"] = rng.sample(practices, 2)
            subs.append(sub)
        meta["cases"] = subs
    headings = rng.sample(HEADINGS, 4)
    quote_at = rng.randint(0, 3)
    for h, heading in enumerate(headings):
        if subs and h < len(subs):
            parts.append(f"## {subs[h]['name']} {{#{subs[h]['anchor']}}}")
        else:
            parts.append(f"## {heading}")
        parts.append(_paragraph(rng, place, short))
        if h == 1:
            parts.append("\n".join(f"{n}. **{_fill(rng, rng.choice(SUBHEADINGS), place, short)}**：" +
                                   _fill(rng, rng.choice(SENTENCES), place, short) for n in range(1, rng.randint(3, 5))))
            parts.append(f"### {_fill(rng, rng.choice(SUBHEADINGS), place, short)}")
            parts.append(_paragraph(rng, place, short))
        if h == 2:
            parts.append("\n".join("- " + _fill(rng, rng.choice(SENTENCES), place, short) for _ in range(rng.randint(3, 5))))
        if h == quote_at:
            parts.append(f"> {rng.choice(QUOTES)}\n>\n> ——{place}居民")
        if h == 3 and rng.random() < 0.15:
            parts.append("| 指标 | 数值 | 同比 |\n| --- | ---: | ---: |\n" + "\n".join(
                f"| {e} | {rng.randint(60, 99)}% | +{rng.randint(1, 20)}% |" for e in rng.sample(EFFECTS, 3)))
        if h == 2 and rng.random() < 0.05:
            lang, code = rng.choice(CODE)
            parts.append(f"```{lang}\n{_fill(rng, code, place, short)}```")
    while sum(len(p) for p in parts) < target:
        parts.append(_paragraph(rng, place, short))
    body = "\n\n".join(parts)
    if rng.random() < 0.1:
        body = body.replace("。", "。[^1]", 1) + f"\n\n[^1]: 数据来源：{place}{rng.randint(2020, 2025)}年工作总结。"
    if len(body) > 4000:  # trim whole trailing paragraphs, never a heading's section start
        while len(body) > 4000 and body.count("\n\n") > 8:
            body = body.rsplit("\n\n", 1)[0]
    return meta, body + "\n"


def generate(out: Path, n: int, seed: int = 5, fmt: str = "casebook") -> list[Path]:
    provinces = yaml.safe_load((ROOT / "casebook/data/provinces.yaml").read_text("utf-8"))
    practices = [p["name"] for p in yaml.safe_load((ROOT / "data/practices.yaml").read_text("utf-8"))]
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        rng = random.Random(f"{seed}:{i}")
        meta, body = _case(rng, i, provinces, practices)
        path = out / f"{meta['slug']}.md"
        path.write_text(render_file(meta, body, fmt), "utf-8")
        paths.append(path)
    return paths


def render_file(meta: dict, body: str, fmt: str = "casebook") -> str:
    if fmt == "casebook":
        return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000) + "---\n\n" + body
    if fmt == "pelican":
        head = [f"Title: {meta['title']}", f"Date: {meta['date'] if len(meta['date']) == 10 else meta['date'] + '-01'}",
                f"Category: {meta['province']}", f"Tags: {', '.join(meta['practices'])}", f"Slug: {meta['slug']}",
                f"Summary: {meta['summary']}"]
        if meta.get("authors"):
            head.append(f"Authors: {', '.join(meta['authors'])}")
        return "\n".join(head) + "\n\n" + body
    if fmt == "hugo":
        hmeta = dict(meta, date=meta["date"] if len(meta["date"]) == 10 else meta["date"] + "-01")
        return "---\n" + yaml.safe_dump(hmeta, allow_unicode=True, sort_keys=False, width=1000) + "---\n\n" + body
    raise ValueError(fmt)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("n", type=int)
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--format", choices=("casebook", "pelican", "hugo"), default="casebook")
    args = ap.parse_args(argv)
    generate(args.out, args.n, args.seed, args.format)
    return 0


if __name__ == "__main__":
    sys.exit(main())
