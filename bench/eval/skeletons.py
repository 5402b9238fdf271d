"""Page skeletons, one per kind of site: each wraps a case's article in that site's chrome.

Every visible text a skeleton adds outside the article goes through ``pg.j`` (or
``pg.mark`` for text spread over several elements) so it is listed as junk.
Options come from the case dict; each skeleton reads only the ones it knows.
"""

from __future__ import annotations

from make_pages import Page, dated, esc, items, render_body, saved_from


def _meta(pg: Page) -> str:
    """Optional metadata tags a case asks for."""
    out = []
    c = pg.case
    if c.get("meta_description"):
        out.append(f'<meta name="description" content="{esc(c["meta_description"])}" />')
    if c.get("meta_keywords"):
        out.append(f'<meta name="keywords" content="{esc(c["meta_keywords"])}" />')
    if c.get("og_title"):
        out.append(f'<meta property="og:title" content="{esc(c["og_title"])}" />')
        out.append('<meta property="og:type" content="article" />')
    if c.get("og_site"):
        out.append(f'<meta property="og:site_name" content="{esc(c["og_site"])}" />')
    if c.get("published_time"):
        out.append(f'<meta property="article:published_time" content="{c["published_time"]}" />')
    if c.get("publishdate"):
        out.append(f'<meta name="publishdate" content="{c["publishdate"]}" />')
    if c.get("meta_author"):
        out.append(f'<meta name="author" content="{esc(c["meta_author"])}" />')
    for name, value in c.get("meta_extra", []):
        out.append(f'<meta name="{name}" content="{esc(value)}" />')
    return "\n".join(out)


# ------------------------------------------------------------------ people.cn

def people(pg: Page, blocks) -> str:
    c = pg.case
    channel = c.get("channel", "四川频道")
    h1 = c.get("h1", c["title"])
    doc_title = c.get("doc_title", f"{h1}--{channel}--人民网")
    has_h1 = not c.get("title_only")
    crumbs = c.get("crumbs", ["人民网", channel, "市州动态"])
    pg.mark(">>".join(crumbs[1:]))
    head_h1 = f'<h1>{esc(h1)}</h1>' if has_h1 else ""
    subtitle = f'<h3 class="pre">{pg.j(c["kicker"])}</h3>' if c.get("kicker") else ""
    when = c["date_display"]
    src = c.get("source_line", f"人民网－{channel}")
    sidebar = c.get("sidebar", [])
    rel = c.get("related", [])
    return f"""{saved_from(c["url"])}
<!DOCTYPE html>
<html>
<head>
<meta http-equiv="content-type" content="text/html;charset=UTF-8" />
<meta http-equiv="Content-Language" content="utf-8" />
<meta name="robots" content="all" />
{_meta(pg)}
<meta name="filetype" content="0" />
<meta name="contentid" content="{c.get("contentid", "40237791")}" />
<meta name="catalogs" content="{c.get("catalogs", "345453")}" />
<title>{esc(doc_title)}</title>
<link href="./{c["name"]}_files/page.css" rel="stylesheet" type="text/css" />
<script src="./{c["name"]}_files/jquery-1.7.1.min.js" type="text/javascript"></script>
</head>
<body>
<div class="header">
  <div class="w1000">
    <div class="fl"><a href="http://www.people.com.cn/"><img src="./{c["name"]}_files/logo.png" alt="人民网" /></a></div>
    <div class="fr top-nav">{pg.j("人民网首页")} | {pg.j("人民日报")} | {pg.j("手机看新闻")} | {pg.j("登录注册")}</div>
  </div>
</div>
<div class="w1000 route">
  <a href="http://www.people.com.cn/">{esc(crumbs[0])}</a>&gt;&gt;{"&gt;&gt;".join(f'<a href="#">{esc(x)}</a>' for x in crumbs[1:])}
</div>
<div class="w1000 clearfix">
<div class="col col-1 fl">
  {subtitle}
  {head_h1}
  <div class="col-1-1 fl">{pg.j(when)} | {pg.j("来源：")}<a href="#" target="_blank">{pg.j(src)}</a></div>
  <div class="col-1-1 fr"><div class="share">{pg.j("分享到：")}<a href="#">微信</a> <a href="#">{pg.j("QQ空间")}</a> <a href="#">{pg.j("新浪微博")}</a></div></div>
  <div class="rm_txt_con cf">
{render_body(pg, blocks, c.get("body_style", "indent"))}
  <div class="edit cf">{pg.j(c["editor"])}</div>
  </div>
  <div class="box_ly">{pg.j("分享让更多人看到")}</div>
  <div class="rm_relevant cf">
    <div class="title">{pg.j("相关新闻")}</div>
    <ul>{items(pg, rel)}</ul>
  </div>
</div>
<div class="col-2 fr">
  <div class="title">{pg.j("热点推荐")}</div>
  <ul class="news_box">{dated(pg, sidebar)}</ul>
  <div class="title">{pg.j("图说新闻")}</div>
  <ul><li><img src="./{c["name"]}_files/pic1.jpg" /><a href="#">{pg.j(c.get("pic_news", "大熊猫基地迎来客流高峰"))}</a></li></ul>
</div>
</div>
<div class="footer">
  <p>{pg.j("人民日报社概况")} | {pg.j("关于人民网")} | {pg.j("报社招聘")} | {pg.j("招聘英才")} | {pg.j("广告服务")} | {pg.j("合作加盟")} | {pg.j("供稿服务")} | {pg.j("网站声明")} | {pg.j("联系我们")}</p>
  <p>{pg.j("人民网版权所有，未经书面授权禁止使用")}</p>
  <p>{pg.j("Copyright © 1997-2025 by www.people.com.cn. all rights reserved")}</p>
</div>
<script type="text/javascript">var _title = "{esc(h1)}"; var _date = "{c.get("date") or ""}";</script>
</body>
</html>
"""


# ------------------------------------------------------------------ xinhuanet

def xinhua(pg: Page, blocks) -> str:
    c = pg.case
    y, m, d = c["date"].split("-")
    tm = c.get("time", "09:30:12")
    pg.mark(tm)
    sidebar = c.get("sidebar", [])
    rel = c.get("related", [])
    return f"""{saved_from(c["url"])}
<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8" />
<meta name="apple-mobile-web-app-capable" content="yes" />
{_meta(pg)}
<title>{esc(c.get("doc_title", c["title"] + "-新华网"))}</title>
<link rel="stylesheet" href="./{c["name"]}_files/detail.css" />
</head>
<body>
<div class="topBar">
  <div class="wrapper"><span>{pg.j("新华网 > 正文")}</span>
  <div class="nav"><a href="#">{pg.j("时政")}</a> <a href="#">{pg.j("地方")}</a> <a href="#">{pg.j("法治")}</a> <a href="#">{pg.j("高层")}</a> <a href="#">{pg.j("国际")}</a></div>
  </div>
</div>
<div class="header domPC">
  <div class="header-top clearfix">
    <div class="header-time left">
      <span class="year"><em> {y}</em></span>
      <span class="day"><em> {m}</em>/<em>{d}</em></span>
      <span class="time"> {tm}</span>
    </div>
    <div class="source">{pg.j(c.get("source_line", "来源：新华网"))}</div>
    <div class="header-cont clearfix">
      <div class="head-line clearfix"><h1><span class="title">{esc(c.get("h1", c["title"]))}</span></h1></div>
    </div>
    <div class="setFont">{pg.j("字体：")}<span id="fontSmall">小</span><span id="fontNormal">中</span><span id="fontBig">大</span></div>
    <div class="share">{pg.j("分享到：")}<a class="wx" href="#"></a><a class="wb" href="#"></a></div>
  </div>
</div>
<div class="main clearfix">
  <div class="main-left left">
    <div id="detail">
{render_body(pg, blocks, c.get("body_style", "plain"))}
    </div>
    <div id="articleEdit">
      <span class="tiyi1"><a href="javascript:void(0);" class="advise">{pg.j("【纠错】")}</a></span>
      <span class="editor">{pg.j(c["editor"])}</span>
    </div>
    <div class="nextpage">{pg.j("【我要打印】")} {pg.j("【关闭窗口】")}</div>
    <div class="relatedNews"><h3>{pg.j("相关新闻")}</h3><ul>{items(pg, rel)}</ul></div>
  </div>
  <div class="main-right right">
    <div class="columBox"><div class="col-tit">{pg.j("新华网 · 地方联播")}</div>
    <ul>{dated(pg, sidebar)}</ul></div>
  </div>
</div>
<div class="foot">
  <p>{pg.j("Copyright © 2000-2025 XINHUANET.com All rights reserved.")}</p>
  <p>{pg.j("制作单位：新华网股份有限公司")} {pg.j("版权所有 新华网股份有限公司")}</p>
</div>
<script>var detailTitle = "{esc(c["title"])}";</script>
</body>
</html>
"""


# ------------------------------------------------------------------ newspaper sites

def _blurbs(pg: Page) -> str:
    """A 推荐阅读 block inside the article container: headlines with one-sentence summaries."""
    entries = pg.case.get("blurbs", [])
    if not entries:
        return ""
    out = [f'<div class="tuijian"><p class="tj-title"><strong>{pg.j(pg.case.get("blurbs_title", "推荐阅读"))}</strong></p>']
    for title, blurb in entries:
        out.append(f'<div class="tj-item"><p><a href="#">{pg.j(title)}</a></p><p class="tj-desc">{pg.j(blurb)}</p></div>')
    return "".join(out) + "</div>"


def paper(pg: Page, blocks) -> str:
    """Provincial / city newspaper site, with many optional pieces of furniture."""
    c = pg.case
    site = c["site"]
    n = c["name"]
    h1 = c.get("h1", c["title"])
    if c.get("logo_h1"):
        logo = f'<h1 class="logo"><a href="#"><img src="./{n}_files/logo.png" alt="{esc(site)}" />{pg.j(site)}</a></h1>'
    else:
        logo = f'<div class="logo"><a href="#"><img src="./{n}_files/logo.png" alt="{esc(site)}" /></a></div>'
    if c.get("headline_only_title"):
        headline = ""
    elif c.get("logo_h1"):
        headline = f'<div class="art_title">{esc(h1)}</div>'
    else:
        headline = f"<h1>{esc(h1)}</h1>"
    sub = f'<h2 class="subtitle">{pg.j(c["subtitle"])}</h2>' if c.get("subtitle") else ""
    info = " ".join(f"<span>{pg.j(x)}</span>" for x in c.get("info", []))
    crumb = ""
    if c.get("crumb"):
        crumb = f'<div class="position">{pg.j(c["crumb"])}</div>'
    abstract = ""
    if c.get("abstract"):
        abstract = f'<div class="summary"><b>{pg.j("【摘要】")}</b>{pg.j(c["abstract"], c["abstract_key"])}</div>'
    font = f'<div class="fontsize">{pg.j(c["font_bar"])}</div>' if c.get("font_bar") else ""
    share = ""
    if c.get("share", True):
        share = f'<div class="share-bar">{pg.j("分享至")} <a href="#">微信</a> <a href="#">{pg.j("QQ空间")}</a> <a href="#">微博</a></div>'
    editor = f'<div class="editor">{pg.j(c["editor"])}</div>' if c.get("editor") else ""
    tools = f'<div class="tools">{pg.j(c["tools"])}</div>' if c.get("tools") else ""
    related = ""
    if c.get("related"):
        related = f'<div class="related"><h4>{pg.j(c.get("related_title", "相关阅读"))}</h4><ul>{items(pg, c["related"])}</ul></div>'
    pager = ""
    if c.get("pager"):
        pager = f'<div class="pager"><p>{pg.j("上一篇：" + c["pager"][0])}</p><p>{pg.j("下一篇：" + c["pager"][1])}</p></div>'
    side = ""
    if c.get("sidebar"):
        side = f'<div class="side"><div class="side-tit">{pg.j(c.get("sidebar_title", "热点新闻"))}</div><ul>{dated(pg, c["sidebar"])}</ul></div>'
    if c.get("sidebar2"):
        side += f'<div class="side"><div class="side-tit">{pg.j(c.get("sidebar2_title", "图片新闻"))}</div><ul>{items(pg, c["sidebar2"])}</ul></div>'
    nav = " ".join(f'<a href="#">{esc(x)}</a>' for x in c.get("nav", ["首页", "要闻", "时政", "社会", "民生", "专题"]))
    footer = "".join(f"<p>{pg.j(x)}</p>" for x in c.get("footer", []))
    return f"""{saved_from(c["url"])}
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset={c.get("charset_label", "utf-8")}" />
{_meta(pg)}
<title>{esc(c.get("doc_title", h1 + "_" + site))}</title>
<link href="./{n}_files/style.css" rel="stylesheet" type="text/css" />
<script type="text/javascript" src="./{n}_files/jquery.min.js"></script>
</head>
<body>
<div class="topbar"><div class="w1200">{pg.j(c.get("topbar", "欢迎访问" + site))}<span class="fr"><a href="#">{pg.j("设为首页")}</a> | <a href="#">{pg.j("加入收藏")}</a></span></div></div>
<div class="head w1200">{logo}</div>
<div class="nav w1200">{nav}</div>
<div class="w1200 clearfix">
{crumb}
<div class="main fl">
  <div class="article">
    {headline}
    {sub}
    <div class="info">{info}</div>
    {font}
    {abstract}
    <div class="article-content" id="zoom">
{render_body(pg, blocks, c.get("body_style", "indent"))}
{"".join(f'<p style="text-align:center;">{pg.j(x)}</p>' for x in c.get("promo", []))}
{_blurbs(pg)}
    </div>
    {editor}
    {share}
    {tools}
    {pager}
    {related}
  </div>
</div>
<div class="sidebar fr">{side}</div>
</div>
<div class="footer">{footer}</div>
<script type="text/javascript">
  document.getElementById("zoom").style.fontSize = "16px";
</script>
</body>
</html>
"""


# ------------------------------------------------------------------ county 融媒体中心

def county(pg: Page, blocks) -> str:
    c = pg.case
    n = c["name"]
    site = c["site"]
    info = "&nbsp;&nbsp;".join(f"<span>{pg.j(x)}</span>" for x in c.get("info", []))
    headings = [b.text for b in blocks if b.kind == "heading"]
    nav_heads = ""
    if c.get("title_nav") and headings:
        nav_heads = (f'<div class="title-nav"><div class="tn-tit">{pg.j("标题导航")}</div><ul>'
                     + "".join(f'<li><a href="#">{esc(h)}</a></li>' for h in headings) + "</ul></div>")
    side = f'<div class="box"><div class="box-tit">{pg.j(c.get("sidebar_title", "热点新闻"))}</div><ul>{dated(pg, c.get("sidebar", []))}</ul></div>'
    side += f'<div class="box"><div class="box-tit">{pg.j("视频新闻")}</div><ul>{items(pg, c.get("sidebar2", []))}</ul></div>'
    footer = "".join(f"<p>{pg.j(x)}</p>" for x in c.get("footer", []))
    return f"""{saved_from(c["url"])}
<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="{c.get("charset_label", "utf-8")}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
{_meta(pg)}
<title>{esc(c.get("doc_title", c.get("h1", c["title"]) + " - " + site))}</title>
<link rel="stylesheet" href="./{n}_files/common.css">
</head>
<body>
<div class="top"><div class="wrap"><span class="logo"><img src="./{n}_files/logo.png" alt="{esc(site)}"></span>
<span class="weather">{pg.j(c.get("weather", "今天 多云 18℃~26℃"))}</span>
<form class="search"><input type="text" placeholder="请输入关键字"><button type="button">{pg.j("搜索")}</button></form></div></div>
<div class="menu"><div class="wrap">{" ".join(f'<a href="#">{esc(x)}</a>' for x in c.get("nav", ["首页", "本地新闻", "乡镇动态", "部门动态", "视频", "专题"]))}</div></div>
<div class="wrap clearfix">
  <div class="crumb">{pg.j(c.get("crumb", "您现在的位置：首页 > 本地新闻"))}</div>
  <div class="left">
    <div class="detail">
      <h2 class="detail-title">{esc(c.get("h1", c["title"]))}</h2>
      <div class="detail-info">{info}</div>
      {nav_heads}
      <div class="detail-content">
{render_body(pg, blocks, c.get("body_style", "plain"))}
      </div>
      <div class="detail-foot">{"".join(f"<p>{pg.j(x)}</p>" for x in c.get("foot_lines", []))}</div>
      <div class="share">{pg.j(c.get("share_text", "分享到：微信 微博 QQ"))}</div>
    </div>
  </div>
  <div class="right">{side}</div>
</div>
<div class="footer"><div class="wrap">{footer}</div></div>
<script>$(function(){{ $.get("/api/hits?id={c.get("contentid", "10086")}", function(d){{ $("#hits").text(d); }}); }});</script>
</body>
</html>
"""


# ------------------------------------------------------------------ government portal

def _gov_content(pg: Page, blocks) -> str:
    body = render_body(pg, blocks, pg.case.get("body_style", "indent"))
    if pg.case.get("table_layout"):
        return ('<table width="100%" border="0" cellspacing="0" cellpadding="0" class="bt_content"><tr>'
                f'<td id="UCAP-CONTENT" class="bt_content" style="font-size:16px;line-height:30px;">\n{body}\n</td></tr></table>')
    return f'<div class="article-content" id="UCAP-CONTENT">\n{body}\n</div>'


def gov(pg: Page, blocks) -> str:
    c = pg.case
    n = c["name"]
    site = c["site"]
    sep = c.get("crumb_sep", " > ")
    crumbs = c.get("crumbs", ["首页", "政务公开", "工作动态"])
    crumb_text = "当前位置：" + sep.join(crumbs)
    pg.mark(crumb_text.strip())
    crumb_html = "当前位置：" + sep.replace(">", "&gt;").join(f'<a href="#">{esc(x)}</a>' for x in crumbs)
    info = "".join(f'<span class="i">{pg.j(x)}</span>' for x in c.get("info", []))
    tool_items = c.get("toolbar", ["无障碍", "长辈版", "配色", "大鼠标", "语音播报", "增加音量", "减小音量", "放大", "缩小", "大字幕", "重置", "退出服务"])
    toolbar = " ".join(f'<a href="javascript:;" class="tb">{pg.j(x)}</a>' for x in tool_items)
    headline_tag = c.get("headline_tag", "h1")
    extra_meta = "".join(f'<meta name="{k}" content="{esc(v)}">' for k, v in c.get("gov_meta", []))
    footer = "".join(f"<p>{pg.j(x)}</p>" for x in c.get("footer", []))
    side = ""
    if c.get("sidebar"):
        side = f'<div class="side-box"><h3>{pg.j(c.get("sidebar_title", "相关信息"))}</h3><ul>{dated(pg, c["sidebar"])}</ul></div>'
    attach = ""
    if c.get("attach"):
        attach = f'<div class="fujian">{pg.j(c["attach"])}</div>'
    return f"""{saved_from(c["url"])}
<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset={c.get("charset_label", "utf-8")}">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<meta name="SiteName" content="{esc(site)}">
<meta name="SiteDomain" content="{c["url"].split("/")[2]}">
<meta name="SiteIDCode" content="{c.get("site_code", "3101150001")}">
<meta name="ArticleTitle" content="{esc(c.get("h1", c["title"]))}">
{extra_meta}
{_meta(pg)}
<title>{esc(c.get("doc_title", c.get("h1", c["title"]) + "_" + site))}</title>
<link rel="stylesheet" href="./{n}_files/base.css">
<script src="./{n}_files/jquery.js"></script>
<script src="./{n}_files/assist.js" id="assist-js"></script>
</head>
<body>
<div class="assist-toolbar" id="toolbar">{toolbar}</div>
<div class="top-bar"><div class="container">
  <span class="date-now">{pg.j(c.get("today", "2025年6月3日 星期二"))}</span>
  <span class="fr"><a href="#">{pg.j("无障碍浏览")}</a> | <a href="#">{pg.j("关怀版")}</a> | <a href="#">{pg.j("English")}</a> | <a href="#">{pg.j("移动版")}</a></span>
</div></div>
<div class="header"><div class="container">
  <div class="logo"><img src="./{n}_files/logo.png" alt="{esc(site)}"><span class="site-name">{pg.j(site)}</span></div>
  <div class="search-box"><input type="text" class="search-input" placeholder="请输入搜索内容" value=""><a class="search-btn" href="#">{pg.j("站内搜索")}</a><span class="hot">{pg.j(c.get("hot_search", "热词：营商环境 社保 公积金 义务教育"))}</span></div>
</div></div>
<div class="nav"><div class="container">{" ".join(f'<a href="#">{esc(x)}</a>' for x in c.get("nav", ["首页", "走进" + c.get("place_short", "本区"), "政务公开", "政务服务", "互动交流", "专题专栏"]))}</div></div>
<div class="container clearfix">
  <div class="location">{crumb_html}</div>
  <div class="article-box">
    <{headline_tag} class="article-title">{esc(c.get("h1", c["title"]))}</{headline_tag}>
    <div class="article-info">{info}
      <span class="font-size">{pg.j(c.get("font_bar", "【字体：大 中 小】"))}</span></div>
    {_gov_content(pg, blocks)}
    {attach}
    <div class="article-tools"><a href="javascript:window.print();">{pg.j("打印本页")}</a> <a href="javascript:window.close();">{pg.j("关闭窗口")}</a>
      <span class="share">{pg.j("分享到：")}<a href="#" class="wx"></a><a href="#" class="wb"></a></span></div>
  </div>
  {side}
</div>
<div class="footer"><div class="container">
  <div class="links">{pg.j(c.get("links", "相关链接：中国政府网 | 省政府网站 | 市政府网站"))}</div>
  {footer}
  <p>{pg.j(c.get("visitors", "您是第2896431位访客"))}</p>
  <div class="jiucuo"><img src="./{n}_files/jiucuo.png" alt="政府网站找错"><img src="./{n}_files/dzjg.png" alt="党政机关"></div>
</div></div>
</body>
</html>
"""


# ------------------------------------------------------------------ WeChat

def wechat(pg: Page, blocks) -> str:
    c = pg.case
    n = c["name"]
    acct = c["account"]
    author = ""
    if c.get("wx_author"):
        author = f'<span class="rich_media_meta rich_media_meta_text">{pg.j(c["wx_author"])}</span>'
    orig = f'<span class="original_primary_card_tips">{pg.j("原创")}</span>' if c.get("original") else ""
    comments = "".join(
        f'<div class="discuss_item"><div class="nickname">{pg.j(name)}</div><div class="discuss_extra">{pg.j(where_when)}</div>'
        f'<div class="discuss_message">{pg.j(text)}</div><span class="praise_num">{esc(str(likes))}</span></div>'
        for name, where_when, text, likes in c.get("comments", []))
    return f"""{saved_from(c["url"])}
<!DOCTYPE html>
<html class="">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1.0,maximum-scale=1.0,user-scalable=0,viewport-fit=cover">
<meta property="og:title" content="{esc(c.get("h1", c["title"]))}" />
<meta property="og:url" content="{c["url"]}" />
<meta property="og:image" content="https://mmbiz.qpic.cn/mmbiz_jpg/cover/0?wx_fmt=jpeg" />
<meta property="og:description" content="{esc(c.get("digest", ""))}" />
<meta property="og:site_name" content="微信公众平台" />
<meta property="og:type" content="article" />
<meta property="twitter:card" content="summary" />
<title>{esc(c.get("h1", c["title"]))}</title>
<link rel="stylesheet" href="./{n}_files/appmsg.css">
</head>
<body id="activity-detail" class="zh_CN wx_wap_page">
<div id="js_article" class="rich_media">
  <div class="rich_media_inner">
    <div id="page-content" class="rich_media_area_primary">
      <div class="rich_media_area_primary_inner">
        <h1 class="rich_media_title" id="activity-name">{esc(c.get("h1", c["title"]))}</h1>
        <div id="meta_content" class="rich_media_meta_list">
          {orig}
          {author}
          <span class="rich_media_meta rich_media_meta_nickname" id="profileBt"><a href="javascript:void(0);" id="js_name">{pg.j(acct)}</a></span>
          <em id="publish_time" class="rich_media_meta rich_media_meta_text">{pg.j(c["date_display"])}</em>
          <em id="js_ip_wording_wrp" class="rich_media_meta rich_media_meta_text">{pg.j(c.get("ip", "发表于贵州"))}</em>
        </div>
        <div class="rich_media_content js_underline_content" id="js_content" style="visibility: visible;">
<section style="font-size:15px;line-height:1.75;">
{render_body(pg, blocks, "wechat")}
</section>
        </div>
        <div class="original_area_primary"><span>{pg.j("预览时标签不可点")}</span></div>
        <div id="js_tags" class="article-tag_list">{pg.j(c.get("tag", "#基层治理"))}</div>
      </div>
    </div>
    <div class="rich_media_tool" id="js_toobar3">
      <div class="media_tool_meta">{pg.j("阅读 " + c.get("reads", "3.2万"))}</div>
      <div class="like_btn">{pg.j("赞 " + c.get("likes", "256"))}</div>
      <div class="looking">{pg.j("在看 " + c.get("looking", "128"))}</div>
      <div class="share_btn">{pg.j("分享")}</div>
    </div>
    <div class="rich_media_area_extra">
      <div class="discuss_container" id="js_cmt_area">
        <div class="discuss_title">{pg.j("留言")}</div>
        <div class="discuss_write"><a href="#">{pg.j("写留言")}</a></div>
        <div class="discuss_list">{comments}</div>
      </div>
    </div>
    <div class="qr_code_pc_inner"><img src="./{n}_files/qrcode.jpg"><p>{pg.j("微信扫一扫")}<br>{pg.j("关注该公众号")}</p></div>
    <div class="continue_read">{pg.j("继续滑动看下一个")}</div>
    <div class="wx_profile_card"><strong>{esc(acct)}</strong><span>{pg.j("向上滑动看下一个")}</span></div>
  </div>
</div>
<script type="text/javascript" nonce="3482">
var nickname = htmlDecode("{esc(acct)}");
var msg_title = '{esc(c.get("h1", c["title"]))}'.html(false);
var msg_desc = htmlDecode("{esc(c.get("digest", ""))}");
var ct = "{c.get("ct", "1715823000")}";
var user_name = "gh_3f2a8b9c1d7e";
</script>
</body>
</html>
"""


# ------------------------------------------------------------------ NetEase 网易号

def netease(pg: Page, blocks) -> str:
    c = pg.case
    n = c["name"]
    acct = c["account"]
    comments = "".join(
        f'<div class="tie-item"><div class="tie-author"><a href="#">{pg.j(name)}</a><span class="tie-from">{pg.j(where)}</span>'
        f'<span class="tie-time">{pg.j(when)}</span></div><div class="tie-cnt">{pg.j(text)}</div>'
        f'<div class="tie-op"><a href="#">{pg.j("顶")}</a><a href="#">{pg.j("回复")}</a></div></div>'
        for name, where, when, text in c.get("comments", []))
    recs = "".join(
        f'<li class="post_recommend"><a href="#"><img src="./{n}_files/r{i}.jpg"><h3>{pg.j(t)}</h3></a><div class="post_recommend_info">{pg.j(info)}</div></li>'
        for i, (t, info) in enumerate(c.get("recommend", [])))
    return f"""{saved_from(c["url"])}
<!DOCTYPE HTML>
<html id="ne_wrap" data-publishtime="{c["date_display"]}" data-category="{esc(c.get("category", "本地"))}">
<head>
<meta charset="utf-8">
<meta name="keywords" content="{esc(c.get("meta_keywords", ""))}">
<meta name="description" content="{esc(c.get("meta_description", ""))}">
<meta property="og:title" content="{esc(c["title"])}">
<meta property="og:type" content="article">
<meta property="article:author" content="{esc(acct)}">
<meta property="article:published_time" content="{c.get("published_time", "")}">
<title>{esc(c["title"])}|{esc(c.get("title_tail", "网格员_社区_居民"))}_网易订阅</title>
<link rel="stylesheet" href="./{n}_files/post.css">
</head>
<body>
<div class="N-nav-channel"><a href="#">{pg.j("网易首页")}</a> <a href="#">{pg.j("应用")}</a> <a href="#">{pg.j("新闻")}</a> <a href="#">{pg.j("体育")}</a> <a href="#">{pg.j("娱乐")}</a> <a href="#">{pg.j("财经")}</a></div>
<div class="container clearfix">
<div class="post_main">
  <h1 class="post_title">{esc(c["title"])}</h1>
  <div class="post_info">{pg.j(c["date_display"] + "　" + c.get("ip", "河南"))}<a href="#" class="post_jubao">{pg.j("举报")}</a></div>
  <div class="post_body">
{render_body(pg, blocks, c.get("body_style", "plain"))}
  </div>
  <div class="post_statement"><span class="bg"></span>{pg.j("特别声明：以上内容(如有图片或视频亦包括在内)为自媒体平台“网易号”用户上传并发布，本平台仅提供信息存储服务。")}<p>{pg.j("Notice: The content above (including the pictures and videos if any) is uploaded and posted by a user of NetEase Hao, which is a social media platform and only provides information storage services.")}</p></div>
  <div class="post_tie" id="tie">
    <div class="tie-titlebar"><span class="tie-title">{pg.j("网友评论")}</span><span class="tie-info">{pg.j(c.get("tie_count", "跟贴 23 参与 156"))}</span></div>
    <div class="tie-input"><textarea placeholder="文明上网，登录发贴"></textarea><a class="btn" href="#">{pg.j("马上发贴")}</a></div>
    <div class="tie-list">{comments}</div>
    <a class="tie-more" href="#">{pg.j("查看全部跟贴")}</a>
  </div>
  <ul class="post_recommends">{recs}</ul>
</div>
<div class="post_side">
  <div class="post_wemedia">
    <div class="post_wemedia_avatar"><img src="./{n}_files/avatar.jpg" alt="{esc(acct)}"></div>
    <div class="post_wemedia_info"><a class="post_wemedia_name" href="#">{pg.j(acct)}</a>
    <p class="post_wemedia_desc">{pg.j(c.get("acct_desc", "官方政务账号"))}</p></div>
    <a class="post_wemedia_sub" href="#">{pg.j("+ 关注")}</a>
  </div>
  <div class="post_side_mod"><h3>{pg.j("热点新闻")}</h3><ul>{items(pg, c.get("hot", []))}</ul></div>
</div>
</div>
<div class="N-footer">{pg.j("©1997-2025 网易公司版权所有")} <a href="#">{pg.j("About NetEase")}</a> | <a href="#">{pg.j("公司简介")}</a> | <a href="#">{pg.j("联系方法")}</a></div>
</body>
</html>
"""


# ------------------------------------------------------------------ Sohu 搜狐号

def sohu(pg: Page, blocks) -> str:
    c = pg.case
    n = c["name"]
    acct = c["account"]
    recs = "".join(f'<div class="feed-item"><a href="#"><h4>{pg.j(t)}</h4></a><span class="feed-info">{pg.j(info)}</span></div>'
                   for t, info in c.get("recommend", []))
    return f"""{saved_from(c["url"])}
<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<meta name="keywords" content="{esc(c.get("meta_keywords", ""))}">
<meta name="description" content="{esc(c.get("meta_description", ""))}">
<meta property="og:type" content="news">
<meta property="og:title" content="{esc(c["title"])}">
<meta property="og:release_date" content="{c["date_display"]}">
<meta name="mediaid" content="{esc(acct)}">
<title>{esc(c["title"])}_{esc(c.get("title_tail", "社区"))}_居民_议事</title>
<link rel="stylesheet" href="./{n}_files/article.css">
</head>
<body>
<div class="head-container"><div class="area"><a href="#">{pg.j("搜狐首页")}</a> <a href="#">{pg.j("新闻")}</a> <a href="#">{pg.j("体育")}</a> <a href="#">{pg.j("汽车")}</a> <a href="#">{pg.j("房产")}</a> <a href="#">{pg.j("旅游")}</a>
<span class="login">{pg.j("登录")}</span></div></div>
<div class="area clearfix">
<div class="left main">
  <div class="location-without-nav"><a href="#">{pg.j("搜狐")}</a> &gt; <a href="#">{pg.j(c.get("channel", "本地"))}</a> &gt; <span>{pg.j("正文")}</span></div>
  <div class="text">
    <div class="text-title"><h1>{esc(c["title"])}<span class="article-tag">{pg.j("原创")}</span></h1>
      <div class="article-info"><span class="time" id="news-time">{pg.j(c["date_display"])}</span>
      <span data-role="original-link">{pg.j("来源: ")}<a href="#">{pg.j(acct)}</a></span></div>
    </div>
    <article class="article" id="mp-editor">
{render_body(pg, blocks, c.get("body_style", "plain"))}
<p data-role="editor-name">{pg.j(c["editor"])}</p>
<a href="#" id="backsohucom" class="backword"><i class="backsohu"></i>{pg.j("返回搜狐，查看更多")}</a>
    </article>
    <div class="statement">{pg.j("平台声明：该文观点仅代表作者本人，搜狐号系信息发布平台，搜狐仅提供信息存储空间服务。")}</div>
    <div class="bottom-relate-wrap"><span class="read-num">{pg.j(c.get("reads", "阅读 (2896)"))}</span></div>
  </div>
  <div id="comment_area"><div class="comment-title">{pg.j("我来说两句")}</div><div class="comment-count">{pg.j("0人参与，0条评论")}</div>
  <a href="#">{pg.j("搜狐“我来说两句” 用户公约")}</a></div>
  <div class="god-article-bottom"></div>
  <div id="feed-wrapper">{recs}</div>
</div>
<div class="right sidebar">
  <div class="user-info">
    <div class="user-pic"><img src="./{n}_files/avatar.jpg"></div>
    <div class="user-name"><a href="#">{pg.j(acct)}</a></div>
    <ul class="user-data"><li><span class="value">{pg.j(c.get("acct_stats", "文章 1867"))}</span></li><li><span class="value">{pg.j(c.get("acct_reads", "总阅读 236.4万"))}</span></li></ul>
    <div class="user-more"><a href="#">{pg.j("查看TA的文章")}</a></div>
    <div class="follow-btn">{pg.j("+关注")}</div>
  </div>
  <div class="hot-article"><div class="title">{pg.j("24小时热文")}</div><ul>{items(pg, c.get("hot", []))}</ul></div>
</div>
</div>
<div class="footer">{pg.j("Copyright © 2025 Sohu All Rights Reserved")} {pg.j("搜狐公司 版权所有")}</div>
</body>
</html>
"""


# ------------------------------------------------------------------ Toutiao

def toutiao(pg: Page, blocks) -> str:
    c = pg.case
    n = c["name"]
    acct = c["account"]
    comments = "".join(
        f'<li class="comment-item"><div class="comment-info"><a class="user-name" href="#">{pg.j(name)}</a>'
        f'<span class="time">{pg.j(when)}</span></div><p class="comment-content">{pg.j(text)}</p>'
        f'<span class="digg">{pg.j(likes)}</span></li>'
        for name, when, text, likes in c.get("comments", []))
    feed = "".join(f'<div class="feed-card"><a href="#" class="title">{pg.j(t)}</a><div class="feed-card-footer">{pg.j(info)}</div></div>'
                   for t, info in c.get("recommend", []))
    return f"""{saved_from(c["url"])}
<!DOCTYPE html>
<html lang="zh">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
{_meta(pg)}
<title>{esc(c.get("doc_title", c["title"] + " - 今日头条"))}</title>
<link rel="stylesheet" href="./{n}_files/index.css">
</head>
<body>
<div id="root">
<div class="ttp-header"><a class="logo" href="#"><img src="./{n}_files/logo.svg" alt="今日头条"></a>
<div class="search"><input placeholder="搜索站内资讯、视频或用户"><button>{pg.j("搜索")}</button></div>
<div class="right"><a href="#">{pg.j("下载头条APP")}</a> <a href="#">{pg.j("登录")}</a></div></div>
<div class="main-content">
<div class="left-sidebar"><div class="detail-interaction"><div class="detail-like"><span>{pg.j("点赞")}</span></div><div class="detail-comment"><span>{pg.j("评论")}</span></div><div class="detail-collect"><span>{pg.j("收藏")}</span></div><div class="detail-share"><span>{pg.j("分享")}</span></div></div></div>
<div class="article-content">
  <h1>{esc(c.get("h1", c["title"]))}</h1>
  <div class="article-meta mt-4">
    <span class="original-tag">{pg.j("原创")}</span>
    <span>{pg.j(c["date_display"])}</span>
    <span class="dot">·</span>
    <span class="name"><a href="#">{pg.j(acct)}</a></span>
    <span class="dot">·</span><span>{pg.j(c.get("ip", "山东"))}</span>
  </div>
  <article class="syl-article-base tt-article-content syl-page-article syl-device-pc">
{render_body(pg, blocks, c.get("body_style", "plain"))}
  </article>
  <div class="article-footer"><a class="report" href="#">{pg.j("举报/反馈")}</a></div>
  <div class="detail-end-tip">{pg.j("头条号作者已开启原创保护")}</div>
  <div class="ttp-comment-wrapper"><h2 class="title">{pg.j(c.get("comment_count", "评论 12"))}</h2>
    <div class="ttp-comment-input"><textarea placeholder="友善是交流的起点"></textarea><button>{pg.j("发布")}</button></div>
    <ul>{comments}</ul>
    <a class="more" href="#">{pg.j("查看全部评论")}</a>
  </div>
  <div class="feed-list">{feed}</div>
</div>
<div class="right-sidebar">
  <div class="author-info"><img class="avatar" src="./{n}_files/avatar.jpg">
    <a class="name" href="#">{esc(acct)}</a>
    <p class="desc">{pg.j(c.get("acct_desc", "官方账号"))}</p>
    <div class="stats">{pg.j(c.get("acct_stats", "3.6万粉丝 · 12.8万获赞"))}</div>
    <button class="follow">{pg.j("关注")}</button></div>
  <div class="hot-board"><div class="title">{pg.j("头条热榜")}</div><ol>{items(pg, c.get("hot", []))}</ol></div>
</div>
</div>
<div class="footer">{pg.j("© 2025 今日头条 www.toutiao.com")} {pg.j("京ICP证140141号")} {pg.j("网络文化经营许可证")}</div>
</div>
</body>
</html>
"""
