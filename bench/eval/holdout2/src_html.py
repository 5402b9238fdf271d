"""HTML cases of holdout2 (format: see make_holdout2.py)."""

CASES = []

# ---------------------------------------------------------------------------- 1
CASES.append(dict(
    name="h2h01_changan_daycare_provincial",
    label="provincial newspaper site carrying the daily, district elderly day-care; <title> with column and site suffix, og:title, publishdate meta, dateline '本报讯', captioned figures, font/share bar, editor line, hot-list sidebar naming Shanxi and Tianjin, footer",
    province="河北省", city="石家庄市", county="长安区",
    title="石家庄长安区：“嵌入式”养老服务站开进老小区",
    date="2024-10-22", source="河北日报", authors=["褚林霞", "贾晓琳", "赵亦凡"],
    practices=["养老服务", "物业与小区治理"],
    page="""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>[[T:石家庄长安区：“嵌入式”养老服务站开进老小区]][[J:_河北要闻_河北新闻网]]</title>
<meta name="keywords" content="养老,长安区,嵌入式养老">
<meta name="description" content="长安区在老旧小区推行嵌入式养老服务站……">
<meta property="og:title" content="石家庄长安区：“嵌入式”养老服务站开进老小区">
<meta name="publishdate" content="2024-10-22 07:05:00">
<link rel="stylesheet" href="/css/article_2024.css">
<script>var _hmt = _hmt || []; (function(){ var s = document.createElement("script"); s.src = "https://hm.example.com/hm.js?x"; })();</script>
</head>
<body>
<div class="top-bar"><span>[[J:河北新闻网 hebnews.cn]]</span> <a href="/app">[[J:客户端下载]]</a> <a href="/login">[[J:登录]]</a></div>
<div class="nav"><ul>
<li><a href="/">[[J:首页]]</a></li><li><a href="/hbyw">[[J:河北要闻]]</a></li><li><a href="/sz">[[J:时政]]</a></li><li><a href="/ms">[[J:民生]]</a></li><li><a href="/sp">[[J:视频]]</a></li>
</ul>
<form action="/search"><input type="text" placeholder="搜索新闻"><button>[[J:搜索]]</button></form>
</div>
<div class="crumb">[[J:您当前的位置 ：河北新闻网 > 河北要闻]]</div>
<div class="main">
<div class="article">
<h1>[[T:石家庄长安区：“嵌入式”养老服务站开进老小区]]</h1>
<div class="post_source"><span>[[J:2024-10-22 07:05]]</span> <span>[[J:来源：河北日报]]</span></div>
<div class="tools">[[J:字号：T T T]] <a class="share">[[J:分享到：微信 微博]]</a></div>
<div class="text">
<p>[[J:本报讯（记者褚林霞 通讯员贾晓琳）]][[A:“楼下就是养老服务站，中午去吃个饭，下午做做康复训练，晚上孩子下班再接我回家。”10月18日，在石家庄市长安区建北街道光华小区，82岁的刘奶奶正在服务站的康复室里做手部训练。]]</p>
<p>[[A:光华小区建于上世纪80年代，60岁以上老人占居民总数的四成以上。以往小区里没有养老设施，附近的养老机构床位紧张，不少老人只能由子女请假照顾。去年，长安区利用小区原锅炉房和闲置车棚，改建成面积约400平方米的嵌入式养老服务站，设有日间照料床位20张，以及助餐区、康复室、阅览室和洗浴间。]]</p>
<figure><img src="/images/2024-10/22/7b3f1e9a.jpg" alt=""><figcaption>[[A:光华小区养老服务站内，护理员陪老人进行康复训练。]][[J:记者 赵亦凡摄]]</figcaption></figure>
<p>[[A:服务站由街道引入专业养老机构运营，实行“政府补一点、机构让一点、老人出一点”的收费方式。日间照料每天收费35元，含午餐和一次康复服务；对低保、特困和失能老人，区财政给予全额或部分补贴。]]</p>
<p><strong>[[A:物业参与 服务延伸到家里]]</strong></p>
<p>[[A:服务站不仅在站内服务，还把服务送进老人家中。小区物业公司与服务站签订了合作协议，物业维修人员在入户维修时留意独居老人的生活状况，发现异常及时告知服务站；服务站的护理员则定期上门为失能老人提供助浴、助洁服务。]]</p>
<p>[[A:“我们小区的物业管家每天巡楼两遍，哪家老人几天没下楼，他们心里都有数。”建北街道光华社区党委书记郝建敏说，社区、物业和养老服务站建立了联络群，今年以来已为独居老人提供紧急救助5次。]]</p>
<figure><img src="/images/2024-10/22/9c0d2b41.jpg" alt=""><figcaption>[[A:老人们在服务站的阅览室看书读报。]]</figcaption></figure>
<p>[[A:据了解，长安区今年计划在老旧小区新建嵌入式养老服务站12个，到年底实现每个街道至少有一个具备日间照料功能的养老服务设施。区民政局相关负责人表示，将通过公建民营、连锁运营等方式，提升服务站的专业化水平，让老年人在熟悉的环境中安享晚年。]]</p>
</div>
<div class="editor">[[J:（责任编辑：王晓宇）]]</div>
<div class="copyright-note">[[J:凡注明“来源：河北日报”的稿件，版权均属河北日报报业集团，未经授权不得转载。]]</div>
</div>
<div class="sidebar">
<h3>[[J:热点排行]]</h3>
<ol>
<li><a href="/a/1">[[J:雄安新区启动区首批居民入住一周年]]</a></li>
<li><a href="/a/2">[[J:山西太原：老旧小区加装电梯提速]]</a></li>
<li><a href="/a/3">[[J:天津滨海新区推出社区“共享厨房”]]</a></li>
</ol>
<div class="ad"><a href="https://ad.example.com/x">[[J:石家庄看骨科哪家医院好 专家号免费预约]]</a></div>
</div>
</div>
<div class="footer">
<p>[[J:关于我们 | 联系我们 | 广告服务 | 版权声明]]</p>
<p>[[J:河北新闻网版权所有　冀ICP备09047539号-1]]</p>
<p>[[J:违法和不良信息举报电话：0311-67563366]]</p>
</div>
</body>
</html>
""",
))

# ---------------------------------------------------------------------------- 2
CASES.append(dict(
    name="h2h02_chenggu_grid_rongmeiti",
    label="county media-centre site, grids and village collective orange cooperative; <title> with centre suffix, time/source/author line, video player text, view counter, prev/next links, QR code blurb, footer with address",
    province="陕西省", city="汉中市", county="城固县",
    title="城固县：网格连民心 蜜桔富乡亲",
    date="2024-11-12", source="城固县融媒体中心", authors=["李婷婷", "张铭"],
    practices=["网格化治理", "集体经济"],
    page="""<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>[[T:城固县：网格连民心 蜜桔富乡亲]][[J: - 城固县融媒体中心]]</title>
<meta name="ArticleTitle" content="城固县：网格连民心 蜜桔富乡亲">
<meta name="PubDate" content="2024-11-12 10:05">
<style>.player{width:100%;} .info span{margin-right:12px;}</style>
</head>
<body>
<div id="header"><img src="/logo.png" alt="城固县融媒体中心"><span class="slogan">[[J:城固融媒 · 讲好城固故事]]</span></div>
<div id="menu"><a href="/">[[J:网站首页]]</a> <a href="/news/">[[J:城固新闻]]</a> <a href="/zt/">[[J:专题专栏]]</a> <a href="/sp/">[[J:城固电视]]</a> <a href="/dt/">[[J:城固电台]]</a></div>
<div class="position">[[J:当前位置：首页 - 城固新闻 - 乡镇动态]]</div>
<div class="content">
<h1 class="title">[[T:城固县：网格连民心 蜜桔富乡亲]]</h1>
<div class="info"><span>[[J:时间：2024-11-12 10:05]]</span><span>[[J:来源：城固县融媒体中心]]</span><span>[[J:作者：李婷婷 张铭]]</span><span>[[J:浏览量：856]]</span></div>
<div class="player"><video src="/video/2024/1112/migan.mp4" poster="/video/2024/1112/migan.jpg"></video><div class="ctrl">[[J:您的浏览器不支持视频播放，请升级浏览器]]</div></div>
<div class="article-content">
<p>[[A:初冬时节，城固县上元观镇的桔园里一片金黄，果农们忙着采摘、装筐。在镇上的蜜桔合作社分拣车间，一箱箱蜜桔经过清洗、分级、打包，被装上发往西安、成都的货车。]]</p>
<p>[[A:“今年的桔子不愁卖，合作社按保底价收，网格员还帮着联系了好几家电商。”上元观镇龙头村果农陈德明说。]]</p>
<p>[[A:上元观镇把全镇划分为58个网格，每个网格配备一名网格员，网格员除了做好政策宣传、矛盾排查等日常工作，还承担起为果农“跑销路、找技术”的任务。采摘季前，网格员逐户登记各家的挂果量和品种，汇总给合作社，合作社据此安排收购计划和用工。]]</p>
<p>[[A:龙头村的蜜桔合作社由村集体领办，村集体以闲置厂房和冷库入股，吸纳200多户果农加入。合作社统一技术标准、统一品牌销售，去年销售蜜桔1200多吨，村集体经济收入达到28万元。]]</p>
<p>[[A:网格员还成了“带货主播”。今年9月，镇里组织网格员参加电商直播培训，龙头村网格员刘晓燕已经在直播间里卖出了3万多斤蜜桔。“大家都是乡里乡亲，帮着把桔子卖出去，就是最实在的服务。”刘晓燕说。]]</p>
<p>[[A:城固县委社会工作部相关负责人介绍，全县正在推行“网格+产业”服务模式，让网格员在服务群众的同时，助力村集体经济发展和群众增收。]]</p>
</div>
<div class="page-nav"><a href="/news/6671.html">[[J:上一篇：城固县召开冬春农田水利建设推进会]]</a><br><a href="/news/6673.html">[[J:下一篇：桔园里的“冬季课堂”]]</a></div>
<div class="editor">[[J:编辑：王倩　审核：何建军]]</div>
</div>
<div class="qr"><img src="/qr.png" alt=""><p>[[J:扫码下载“智慧城固”客户端]]</p></div>
<div id="footer">
<p>[[J:主办单位：城固县融媒体中心　地址：城固县博望街道文化路]]</p>
<p>[[J:陕ICP备17002371号-1　陕公网安备 61072202000123号]]</p>
</div>
</body>
</html>
""",
))

# ---------------------------------------------------------------------------- 3
CASES.append(dict(
    name="h2h03_minhang_portal_onestop",
    label="district government portal, one-stop services with a numbered list and a hotline; info-disclosure table (index no., issuing body, date), <title> with portal suffix, accessibility/elder-mode toolbar, print/close, 'related links' footer",
    province="上海市", city=None, county="闵行区",
    title="七宝镇“一网通办”服务下沉社区 高频事项就近可办",
    date="2024-03-15", source="闵行报", authors=[],
    practices=["便民政务服务", "智慧治理"],
    page="""<!DOCTYPE html>
<html lang="zh">
<head>
<meta charset="UTF-8">
<title>[[T:七宝镇“一网通办”服务下沉社区 高频事项就近可办]][[J:_政务动态_上海市闵行区人民政府]]</title>
<meta name="SiteName" content="上海市闵行区人民政府">
<meta name="ArticleTitle" content="七宝镇“一网通办”服务下沉社区 高频事项就近可办">
<meta name="PubDate" content="2024-03-15">
<meta name="ContentSource" content="闵行报">
</head>
<body>
<div class="gov-top">
<a href="#">[[J:无障碍浏览]]</a> <a href="#">[[J:长者模式]]</a> <a href="#">[[J:English]]</a> <a href="#">[[J:政务微博]]</a>
</div>
<div class="gov-header"><img src="/images/mh_logo.png" alt="上海闵行"><input type="text" value="请输入搜索内容"><a>[[J:站内搜索]]</a></div>
<div class="gov-nav"><a>[[J:政务公开]]</a><a>[[J:办事服务]]</a><a>[[J:互动交流]]</a><a>[[J:走进闵行]]</a></div>
<div class="loc">[[J:首页 > 政务公开 > 政务动态 > 街镇动态]]</div>
<table class="xxgk">
<tr><td>[[J:索引号：MH2024-00318]]</td><td>[[J:发布机构：闵行区七宝镇人民政府]]</td></tr>
<tr><td>[[J:发布日期：2024-03-15]]</td><td>[[J:主题分类：政务服务]]</td></tr>
</table>
<div class="art">
<h1>[[T:七宝镇“一网通办”服务下沉社区 高频事项就近可办]]</h1>
<div class="art-info">[[J:来源：闵行报　　发布时间：2024-03-15 09:30]]</div>
<div class="fontsize">[[J:【字号：大 中 小】]]</div>
<div class="art-con">
<p>[[A:不用再跑镇社区事务受理服务中心，在小区门口的居民区党群服务站就能办社保卡、申请居住证、查询公积金。近日，七宝镇在全镇居民区推开“一网通办”社区服务点建设，目前已建成27个，覆盖全部居民区。]]</p>
<p>[[A:每个服务点配备自助服务终端和一名经过培训的“帮办员”，居民可以办理或预约136项高频政务服务事项。对于暂不能在社区直接办结的事项，帮办员通过“远程帮办”系统与镇受理中心的工作人员视频连线，由后台工作人员指导居民填报、上传材料，做到“前台收件、后台审核”。]]</p>
<p>[[A:服务点主要提供以下几类服务：]]</p>
<p>[[A:一是自助办。居民可在自助终端上办理社保查询、证明打印、医保缴费等事项，全程无需人工。]]</p>
<p>[[A:二是帮着办。对老年人和不熟悉网上操作的居民，帮办员手把手指导，或者代为填表提交。]]</p>
<p>[[A:三是上门办。对行动不便的老人、残疾人，居民区工作人员预约后带着移动终端上门办理。]]</p>
<p>[[A:家住万科城市花园的居民周先生前不久在服务点为父亲办理了长护险评估申请。“原来以为要跑好几趟，结果在楼下十几分钟就办好了。”]]</p>
<p>[[A:七宝镇相关负责人表示，下一步将把服务点与“随申办”移动端打通，推出更多“免申即享”“一件事一次办”服务。居民如有疑问，可拨打七宝镇社区事务受理服务中心咨询电话021-64781235。]]</p>
</div>
<div class="art-ctrl"><a href="javascript:window.print()">[[J:【打印本页】]]</a> <a href="javascript:window.close()">[[J:【关闭窗口】]]</a></div>
</div>
<div class="links"><span>[[J:相关链接：]]</span><a>[[J:上海市人民政府]]</a><a>[[J:中国上海一网通办]]</a><a>[[J:江苏昆山市人民政府]]</a></div>
<div class="gov-foot">
<p>[[J:主办：上海市闵行区人民政府办公室　承办：闵行区大数据中心]]</p>
<p>[[J:网站标识码3101120001　沪ICP备10214506号]]</p>
</div>
</body>
</html>
""",
))

# ---------------------------------------------------------------------------- 4
CASES.append(dict(
    name="h2h04_kaili_wechat_children",
    label="saved WeChat article, autonomous prefecture county-level city, left-behind children's home; og:title, publish time in <em> and in a script var, account name, short broken lines in <section>s, photos with captions, text/photo/editor/review credits, 'read more', like/wow counters, comment cards",
    province="贵州省", city="黔东南苗族侗族自治州", county="凯里市",
    title="放学后，他们有了一个“家”",
    date="2024-06-01", source="凯里发布", authors=["潘秀英", "龙金花"],
    practices=["托育与儿童关爱", "志愿服务"],
    page="""<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1.0">
<meta property="og:title" content="放学后，他们有了一个“家”">
<meta property="og:description" content="凯里市三棵树镇的儿童之家">
<meta property="og:site_name" content="微信公众平台">
<title>[[T:放学后，他们有了一个“家”]]</title>
<script>var ct = "1717237800"; var nickname = "凯里发布"; var msg_title = "放学后，他们有了一个“家”";</script>
</head>
<body id="activity-detail">
<div class="rich_media_area_primary">
<h1 class="rich_media_title" id="activity-name">
[[T:放学后，他们有了一个“家”]]
</h1>
<div id="meta_content" class="rich_media_meta_list">
<span class="rich_media_meta rich_media_meta_text">[[J:凯里融媒]]</span>
<span class="rich_media_meta rich_media_meta_nickname"><a id="js_name">[[J:凯里发布]]</a></span>
<em id="publish_time" class="rich_media_meta rich_media_meta_text">[[J:2024-06-01 18:30]]</em>
<em id="js_ip_wording_wrp">[[J:贵州]]</em>
</div>
<div class="rich_media_content" id="js_content">
<section style="text-align:center;"><img data-src="https://mmbiz.qpic.cn/mmbiz_jpg/k2Xh/640?wx_fmt=jpeg" class="rich_pages wxw-img"></section>
<section style="text-align:center;"><span style="font-size:13px;color:#888;">[[A:孩子们在儿童之家里做手工]]</span></section>
<section><br></section>
<section><span>[[A:下午四点半，]]</span></section>
<section><span>[[A:凯里市三棵树镇南多村的儿童之家]]</span></section>
<section><span>[[A:准时亮起了灯。]]</span></section>
<section><span>[[A:十几个放学的孩子背着书包跑进来，]]</span></section>
<section><span>[[A:有的找位置写作业，]]</span></section>
<section><span>[[A:有的直奔书架。]]</span></section>
<section><br></section>
<section><span>[[A:南多村是苗族聚居村，]]</span></section>
<section><span>[[A:村里不少年轻人在广东、浙江务工，]]</span></section>
<section><span>[[A:留在家里的孩子大多由爷爷奶奶照看。]]</span></section>
<section><span>[[A:“老人会做饭，但辅导不了作业。”]]</span></section>
<section><span>[[A:儿童主任杨秀芝说。]]</span></section>
<section><br></section>
<section><strong><span style="color:#c0392b;">[[A:01 一间屋子 一群伙伴]]</span></strong></section>
<section><span>[[A:2022年，村里把闲置的老村委会办公楼改造成儿童之家，设置了学习区、阅读区和活动区。镇里协调爱心企业捐赠了图书2000多册，凯里学院的大学生志愿者每周轮流来辅导功课。]]</span></section>
<section><span>[[A:“这里有老师，有伙伴，比一个人在家好玩多了。”]]</span></section>
<section><span>[[A:读四年级的吴梦瑶说，她爸爸妈妈在东莞打工，每周六会在儿童之家和她视频通话。]]</span></section>
<section style="text-align:center;"><img data-src="https://mmbiz.qpic.cn/mmbiz_jpg/p8Qa/640?wx_fmt=jpeg" class="rich_pages wxw-img"></section>
<section style="text-align:center;"><span style="font-size:13px;color:#888;">[[A:大学生志愿者为孩子们辅导作业]]</span></section>
<section><strong><span style="color:#c0392b;">[[A:02 不只是看护]]</span></strong></section>
<section><span>[[A:儿童之家还开设了苗绣、芦笙、防溺水安全等课程。]]</span></section>
<section><span>[[A:儿童主任和志愿者定期上门走访，]]</span></section>
<section><span>[[A:为每个留守儿童建立关爱档案，]]</span></section>
<section><span>[[A:孩子的学习、健康和心理状况一目了然。]]</span></section>
<section><span>[[A:目前，凯里市已建成村（社区）儿童之家120余个，]]</span></section>
<section><span>[[A:今年以来开展关爱活动1600多场次，]]</span></section>
<section><span>[[A:惠及留守和困境儿童4000余人次。]]</span></section>
<section><br></section>
<section><span>[[A:灯光下，孩子们的笑声一直持续到傍晚。]]</span></section>
<section><span>[[A:对他们来说，这里不只是一间屋子，]]</span></section>
<section><span>[[A:更是放学后的另一个“家”。]]</span></section>
<section><br></section>
<section style="font-size:12px;color:#999;"><span>[[J:文字：潘秀英]]</span></section>
<section style="font-size:12px;color:#999;"><span>[[J:图片：龙金花]]</span></section>
<section style="font-size:12px;color:#999;"><span>[[J:编辑：杨梅]]</span></section>
<section style="font-size:12px;color:#999;"><span>[[J:审核：吴胜林]]</span></section>
<section style="text-align:center;"><span>[[J:点击下方名片关注我们]]</span></section>
<section style="text-align:center;"><span>[[J:往期推荐]]</span></section>
<section><a href="https://mp.weixin.qq.com/s?__biz=MzA&mid=1">[[J:凯里酸汤节来了！这份攻略请收好]]</a></section>
<section><a href="https://mp.weixin.qq.com/s?__biz=MzA&mid=2">[[J:重庆游客点赞：凯里的夜市太有烟火气]]</a></section>
</div>
<div id="js_tags">[[J:#凯里 #儿童之家]]</div>
<div class="rich_media_tool">
<a id="js_view_source">[[J:阅读原文]]</a>
<span>[[J:阅读 1.2万]]</span>
<span id="like">[[J:赞 326]]</span>
<span id="js_like_btn">[[J:在看 87]]</span>
</div>
<div class="discuss_container">
<div class="discuss_title">[[J:留言 12]]</div>
<div class="discuss_item"><span class="nickname">[[J:苗岭阿妹]]</span><p>[[J:我们村也有一个，孩子天天往那跑]]</p><span>[[J:贵州 · 6月2日]]</span></div>
<div class="discuss_item"><span class="nickname">[[J:清水江畔]]</span><p>[[J:为志愿者们点赞！]]</p><span>[[J:广东 · 6月2日]]</span></div>
</div>
</div>
</body>
</html>
""",
))

# ---------------------------------------------------------------------------- 5
CASES.append(dict(
    name="h2h05_shenhe_selfmedia_property",
    label="self-media platform post reposting the city daily, district red property management; account header with follower count, 'reposted from' line, original byline inside, expand-all button, platform disclaimer in Chinese and English, comments, report link, recommendation feed naming Jilin",
    province="辽宁省", city="沈阳市", county="沈河区",
    title="沈河区“红色物业”进小区：业主、物业从“对立”到“对话”",
    date="2024-04-28", source="沈阳日报", authors=["宫雪", "李悦"],
    practices=["物业与小区治理", "议事协商"],
    page="""<!doctype html>
<html>
<head>
<meta charset="utf-8">
<title>[[T:沈河区“红色物业”进小区：业主、物业从“对立”到“对话”]]</title>
<meta property="og:title" content="沈河区“红色物业”进小区：业主、物业从“对立”到“对话”">
<meta property="article:published_time" content="2024-04-28T09:12:44+08:00">
<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2024-04-28T09:12:44+08:00","author":{"name":"社区观察员老周"}}</script>
</head>
<body>
<header class="platform-head"><a class="logo">[[J:看点号]]</a> <a>[[J:推荐]]</a> <a>[[J:热榜]]</a> <a>[[J:本地]]</a> <a>[[J:创作中心]]</a></header>
<div class="author-card">
<img src="https://img.example.com/avatar/9921.jpg" alt="">
<span class="author-name">[[J:社区观察员老周]]</span>
<span class="fans">[[J:1.8万粉丝 · 关注基层治理的那些事]]</span>
<button>[[J:+ 关注]]</button>
</div>
<article>
<h1 class="article-title">[[T:沈河区“红色物业”进小区：业主、物业从“对立”到“对话”]]</h1>
<div class="article-meta">[[J:2024-04-28 09:12 · 辽宁 · 发布于看点号]]</div>
<p>[[J:本文转自：沈阳日报]]</p>
<p>[[J:沈阳日报、沈报全媒体记者 宫雪 实习生 李悦]]</p>
<p>[[A:“以前物业和业主见面就吵，现在有事先坐下来谈。”4月25日，在沈河区五里河街道的一个小区里，居民王淑芬指着新粉刷的楼道说，这些变化都是从小区有了“红色物业”开始的。]]</p>
<p>[[A:这个小区建成于2005年，有1100多户居民。几年前，因为电梯频繁故障、停车收费争议，业主和物业矛盾不断，物业费收缴率一度跌到五成，小区环境越来越差，物业公司也萌生退意。]]</p>
<p>[[A:转机出现在2023年。五里河街道推动小区成立党支部，由社区党委书记兼任第一书记，把物业公司党员负责人和业委会成员吸收为支部委员，建立了社区、业委会、物业“三方联席会议”制度，每月第一个周三固定开会。]]</p>
<div class="expand-btn">[[J:展开全文]]</div>
<p>[[A:“过去业主有意见只能打电话投诉，现在可以直接在会上提。”小区党支部书记赵建国说。去年以来，联席会议协商解决了电梯维保、车位划分、外墙防水等问题23件。物业公司每季度在小区公示收支明细，接受业主监督。]]</p>
<p>[[A:物业服务质量上来了，业主的态度也在转变。今年一季度，小区物业费收缴率回升到87%。不少业主还主动加入了小区的志愿服务队，参与垃圾分类督导和楼道清理。]]</p>
<p>[[A:据介绍，沈河区已在全区有物业服务的住宅小区推行“红色物业”，成立小区党组织318个，推动物业企业与社区签订服务承诺书，将业主满意度作为考核物业企业的重要指标。]]</p>
<p>[[J:特别声明：本文为看点号作者上传并发布，仅代表作者观点，看点号仅提供信息发布平台。]]</p>
<p>[[J:Notice: The content above is uploaded and posted by a user of Kandian Hao, which only provides information storage services.]]</p>
</article>
<div class="actions"><span>[[J:点赞 48]]</span> <span>[[J:收藏]]</span> <span>[[J:分享]]</span> <a>[[J:举报]]</a></div>
<section class="comments">
<h4>[[J:全部评论（5）]]</h4>
<div class="c"><b>[[J:五里河老住户]]</b><p>[[J:我们小区也是这样，开会以后确实好多了]]</p><i>[[J:04-28 · 辽宁]]</i></div>
<div class="c"><b>[[J:北方的狼2024]]</b><p>[[J:物业费收上来了，服务可别掉链子]]</p><i>[[J:04-28 · 吉林]]</i></div>
</section>
<aside class="feed">
<h4>[[J:相关推荐]]</h4>
<ul>
<li>[[J:吉林长春：老旧小区改造后，这些变化让人惊喜]]</li>
<li>[[J:退休金上涨通知来了，这几类人别错过]]</li>
<li>[[J:沈阳一男子网购被骗，民警教你识破套路]]</li>
</ul>
</aside>
</body>
</html>
""",
))

# ---------------------------------------------------------------------------- 6
CASES.append(dict(
    name="h2h06_kangbashi_national_digital",
    label="national outlet's provincial channel, district digital community platform with a comparison to Shanghai Changning; <title> with channel--site suffix, dateline '人民网X月X日电' with reporter in brackets, bracketed editors line, share icons, 'recommended' and 'hot' lists naming Zhejiang and Hainan, long footer",
    province="内蒙古自治区", city="鄂尔多斯市", county="康巴什区",
    title="鄂尔多斯康巴什区：一块“数字屏”撑起社区治理“一张网”",
    date="2024-09-20", source="人民网", authors=["高晓丹"],
    practices=["智慧治理", "网格化治理", "便民政务服务"],
    page="""<!DOCTYPE html>
<html>
<head>
<meta http-equiv="content-type" content="text/html;charset=UTF-8">
<title>[[T:鄂尔多斯康巴什区：一块“数字屏”撑起社区治理“一张网”]][[J:--内蒙古频道--人民网]]</title>
<meta name="keywords" content="康巴什,数字社区,网格">
<meta name="description" content="康巴什区建设数字社区治理平台……">
<meta name="publishdate" content="2024-09-20">
<meta name="source" content="来源：人民网-内蒙古频道">
<meta name="author" content="高晓丹">
</head>
<body>
<div class="topbar"><a>[[J:人民网首页]]</a> <a>[[J:频道]]</a> <a>[[J:领导留言板]]</a> <a>[[J:人民日报客户端]]</a></div>
<div class="logo-nav"><img src="/img/nm_logo.png" alt="人民网内蒙古频道"><a>[[J:内蒙古频道]]</a><a>[[J:时政]]</a><a>[[J:盟市]]</a><a>[[J:社会法治]]</a><a>[[J:图片]]</a></div>
<div class="col-crumb">[[J:人民网>>内蒙古频道>>盟市新闻]]</div>
<div class="main-article">
<h1>[[T:鄂尔多斯康巴什区：一块“数字屏”撑起社区治理“一张网”]]</h1>
<div class="col-1-1">[[J:2024年09月20日15:42 | 来源：人民网-内蒙古频道]]</div>
<div class="share">[[J:分享到：]]<a class="wx"></a><a class="wb"></a><a class="qq"></a></div>
<div class="rm_txt_con">
<p>[[J:人民网鄂尔多斯9月20日电 （记者高晓丹）]][[A:走进鄂尔多斯市康巴什区哈巴格希街道的社区综合指挥中心，一块大屏实时显示着辖区内的网格分布、重点人群、事件办理等信息。哪个小区的消防通道被占用、哪位独居老人的智能手环发出了预警，值班人员一眼就能看到，并通过平台派单给相关网格员处置。]]</p>
<p>[[A:这是康巴什区建设的数字社区治理平台的一个缩影。近年来，康巴什区整合公安、城管、民政、卫健等部门数据，搭建起区、街道、社区三级联动的数字治理平台，把全区划分为282个网格，实现了“人、地、事、物、组织”全要素上图。]]</p>
<p><strong>[[A:数据多跑路 网格员少跑腿]]</strong></p>
<p>[[A:“以前入户登记信息要一家一家敲门，一个表格反复填，居民烦，我们也累。”哈巴格希街道一名网格员说。平台上线后，各部门数据实现共享，网格员手机上的移动端能自动调取已有信息，入户时只需核对更新，工作效率提高了一半以上。]]</p>
<p>[[A:平台还具备智能预警功能。辖区内安装的烟感、水浸、电梯运行等物联感知设备接入平台后，一旦出现异常，系统自动生成工单推送给网格员和物业，今年以来共处置各类预警信息1.6万余条，处置率达到99.2%。]]</p>
<p><strong>[[A:服务上“云端” 办事少排队]]</strong></p>
<p>[[A:在服务方面，康巴什区将社区便民服务事项接入平台，居民通过手机就可以预约办理老年人优待证、居住证明、独生子女证明等37项业务。社区工作人员收到预约后，提前准备材料，居民到现场“即来即办”。对行动不便的老年人，工作人员还会带着移动设备上门服务。]]</p>
<p>[[A:居民李女士前段时间为母亲申请高龄津贴，她在手机上提交申请后，第二天社区工作人员就上门核实了情况。“没想到这么快，一点没耽误。”]]</p>
<p>[[A:平台也让社区“听得见”居民的声音。居民在小程序上反映的问题，按照“街道吹哨、部门报到”的机制分派办理，办理结果在线公开，居民可以打分评价。今年以来，平台共受理居民诉求8400余件，群众满意率96.5%。]]</p>
<p>[[A:在数据安全方面，平台对居民个人信息实行分级授权管理，网格员只能查看本网格内的必要信息，所有查询操作全程留痕，防止信息泄露。]]</p>
<p><strong>[[A:借鉴经验 打造“北疆样板”]]</strong></p>
<p>[[A:康巴什区在建设平台过程中，曾多次组织干部赴上海长宁区等地学习数字社区建设经验。“长宁的做法给了我们很多启发，但康巴什人口相对年轻、外来人口多，我们更注重把平台和服务结合起来。”康巴什区委社会工作部相关负责人说。]]</p>
<p>[[A:据介绍，下一步，康巴什区将继续完善平台功能，探索将居民议事、志愿服务等内容纳入平台，推动基层治理从“经验驱动”向“数据驱动”转变，让居民生活更便捷、更安心。]]</p>
</div>
<div class="edit">[[J:(责编：郝孟佳、王佳)]]</div>
<div class="box_news">
<h2>[[J:推荐阅读]]</h2>
<ul>
<li><a>[[J:浙江温州：“瓯江红”网格让服务更贴心]]</a></li>
<li><a>[[J:包头市青山区推进“智慧养老”服务]]</a></li>
<li><a>[[J:海南海口：椰城市民云上线新功能]]</a></li>
</ul>
<h2>[[J:热点新闻排行]]</h2>
<ol>
<li><a>[[J:呼和浩特新机场航站楼主体完工]]</a></li>
<li><a>[[J:阿尔山迎来今秋首场降雪]]</a></li>
</ol>
</div>
</div>
<div class="footer">
<p>[[J:人民日报社概况 | 关于人民网 | 报社招聘 | 招聘英才 | 广告服务 | 合作加盟 | 供稿服务 | 网站声明 | 网站律师 | 信息保护 | 联系我们]]</p>
<p>[[J:人民网版权所有，未经书面授权禁止使用]]</p>
<p>[[J:Copyright © 1997-2024 by www.people.com.cn. all rights reserved]]</p>
</div>
</body>
</html>
""",
))
