"""Adapter "markdown": every corpus specimen (page dumps, backups, clippings, archives), goldens,
inertness of hostile Markdown, and the helpers' rules."""

from __future__ import annotations

import datetime as dt
import re
import time
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from generator.clean import chrome
from generator.config import load_config
from generator.errors import InputError
from generator.ingest import convert
from generator.model.article import CHINA_TZ
from generator.sources import RawDoc, detect
from generator.sources.markdown import adapter
from generator.sources.markdown.archive import credit_block
from generator.sources.markdown.inert import code_lines, make_inert, url_is_unsafe
from generator.sources.markdown.meta import image_url, name_convention
from generator.sources.markdown.tidy import tidy
from tests.golden import check_text

FIXTURES = Path(__file__).parent.parent / "fixtures"
RAW_DIR = FIXTURES / "corpus" / "markdown_raw"
CLEAN_DIR = FIXTURES / "corpus" / "markdown_clean"
GOLDEN_DIR = FIXTURES / "clean" / "markdown"


def _d(y: int, m: int, d: int) -> dt.date:
    return dt.date(y, m, d)


def _t(y: int, m: int, d: int, h: int, mi: int) -> dt.datetime:
    return dt.datetime(y, m, d, h, mi, tzinfo=CHINA_TZ)


def _e(title: str, account: str | None, date: dt.date | None, **more) -> dict:
    return dict(title=title, account=account, date=date, **more)


# What each specimen says. Page dumps (izj007) take the day from the repository file name
# '[account]-YYYY-M-D-title.md' (see names.tsv) and title/account from the page header, which
# wins over the file name (FreeBuf, not freebuf). Two izj007 files are not WeChat pages: a
# personal note (title from the file name, its first heading is a section) and a blog page
# (title heading and 'July 1, 2021' from the page; its '[未分类]' is a category, not an account).
# Clippings take the publication time from the byline (`*2025年09月08日 19:05*`), not
# `created:` (the day the page was clipped). Backups carry no date.
EXPECTED_RAW: dict[str, dict] = {
    "akan__obsidian_repo__AI-5ec5e9e4.md": _e(
        '外星从反制AI', '脑洞老胡', _t(2025, 9, 29, 18, 2)),
    "akan__obsidian_repo__Agent-49f54990.md": _e(
        'Agent设计的未来：从对话界面到视觉化协作的颠覆性思考', 'RPA二师兄', _t(2025, 11, 9, 21, 26)),
    "akan__obsidian_repo__Dify-v1.6.0-MCP-AI-a20874f5.md": _e(
        'Dify v1.6.0：原生集成 MCP，实现 AI 能力的双向流通', 'Dify', _t(2025, 7, 11, 8, 37)),
    "akan__obsidian_repo__GPU-FPGA-3-RTX3050-143057b8.md": _e(
        'GPU要凉？实测一块国产FPGA，干翻3张RTX3050', '成电国芯FPGA人才培训基地', _t(2026, 6, 9, 21, 14)),
    "akan__obsidian_repo__Hinton-24180efd.md": _e(
        '警钟敲响！Hinton 最新万字演讲：怒怼乔姆斯基、定义“不朽计算”、揭示人类唯一生路', 'AI科技大本营', _t(2026, 2, 9, 12, 1)),
    "akan__obsidian_repo__LangExtract-30-90-4519cced.md": _e(
        'LangExtract 实测：在真实复杂工单里，从 30% 提取率到 90%+，我是怎么做到的?', '知界Eden', _t(2025, 9, 22, 7, 30)),
    "akan__obsidian_repo__Meta-LeCun-JEPAs-c209cc37.md": _e(
        '备受Meta折磨，LeCun依旧猛发论文！新作：JEPAs不只学特征，还能精准感知数据密度', '量子位', _t(2025, 10, 9, 12, 49)),
    "akan__obsidian_repo__Neovate-Code-1c3fe170.md": _e(
        '智能编程助手 Neovate Code 正式开源', '支付宝体验科技', _t(2025, 9, 24, 15, 36)),
    "akan__obsidian_repo__VC-BVP-30-5-AI-7499a4e7.md": _e(
        '顶级VC BVP最新判断：软件3.0时代来了，这5个才是AI编程的最大机会', '乌鸦智能说', _t(2025, 9, 8, 19, 5)),
    "akan__obsidian_repo__fc1912d4.md": _e(
        '小心效率陷阱：为什么你不需要第二大脑或者个人知识库？', '分析写作 AnalysisWriting', _t(2025, 9, 5, 22, 41)),
    "cysk003__Lazy13source.github.io__25905e95.md": _e(
        '节后第一天，韭菜终于要回本了吗？', '看理想', None),
    "cysk003__Lazy13source.github.io__357d2bad.md": _e(
        '上班搭子离职后，我的职场友谊彻底结束了', '三联生活周刊', None),
    "cysk003__Lazy13source.github.io__3e32b1da.md": _e(
        '冬至聊聊生意', '槽边往事', None),
    "cysk003__Lazy13source.github.io__4a731fe1.md": _e(
        '一场免费的狂欢，开启一个新的时代。', '政事堂2019', None),
    "cysk003__Lazy13source.github.io__85e595dc.md": _e(
        '被“军大衣”刷屏，你可以学到的不止“性价比”', '刘润', None),
    "cysk003__Lazy13source.github.io__9e00ad4d.md": _e(
        '很久没听过这么让人想哭的播客了', '看理想', None),
    "cysk003__Lazy13source.github.io__a3e11db4.md": _e(
        '告别特朗普', '政事堂2019', None),
    "cysk003__Lazy13source.github.io__d26d96d6.md": _e(
        '年度演讲结束之后，我被问了一大堆有趣的问题 ……', '刘润', None),
    "cysk003__Lazy13source.github.io__d5b5f4d7.md": _e(
        '恨的教育', '槽边往事', None),
    "cysk003__Lazy13source.github.io__e3ac764d.md": _e(
        '特斯拉销量崩盘，大家为啥不爱买特斯拉了？', '三联生活周刊', None),
    "izj007__wechat__2020-4-24-a71577f5.md": _e(
        '聂君：我们谈安全运营时在谈什么？', '君哥的体历', _d(2020, 4, 24)),
    "izj007__wechat__2021-8-17-8d3135fe.md": _e(
        '李克强签署国务院令 公布《关键信息基础设施安全保护条例》', '中国政府网', _d(2021, 8, 17)),
    "izj007__wechat__2021-8-21-DOM-Invader_-DOM-XSS-Chen-s-Bl-a01adb2e.md": _e(
        'DOM Invader: 让DOM XSS的发现变得更加容易', None, _d(2021, 7, 1)),
    "izj007__wechat__2021-9-10-CVE-2021-40444-ad9d0690.md": _e(
        'CVE-2021-40444复现', '边界骇客', _d(2021, 9, 10)),
    "izj007__wechat__2022-12-9-3ebcac98.md": _e(
        '无域用户下的内网域渗透，在一个庞大的内网里如何进行内网渗透？', '渗透攻击红队', _d(2022, 12, 9)),
    "izj007__wechat__2022-2-28-_-Zabbix-071b81a7.md": _e(
        '译文 | Zabbix - 不安全会话存储的案例研究', '甲方安全建设', _d(2022, 2, 28)),
    "izj007__wechat__2022-9-23-7cfa3f2e.md": _e(
        '如何判断反序列化哪个过程出错了？', '珂技知识分享', _d(2022, 9, 23)),
    "izj007__wechat__2023-11-8-Defense-Evasion-b84d345f.md": _e(
        'Defense Evasion(防御规避)', '黑客在思考', _d(2023, 11, 8)),
    "izj007__wechat__2023-8-3-RCE-4949edd6.md": _e(
        '华为主题管理RCE', '军机故阁', _d(2023, 8, 3)),
    "izj007__wechat__2023-8-4-Smart-S85F-CVE-2023-4120-CVE-20-6814c9bd.md": _e(
        'Smart S85F管理系统 最新漏洞两枚 CVE-2023-4120和CVE-2023-4121', '不够安全', _d(2023, 8, 4)),
    "izj007__wechat__2024-1-16-Lighthouse-16c2566a.md": _e(
        '探索代码覆盖之光——Lighthouse：逆向工程师的神器！', '二进制磨剑', _d(2024, 1, 16)),
    "izj007__wechat__2024-1-18-Cobalt-Strike-9a4555e0.md": _e(
        '深入剖析Cobalt Strike小马拉大马原理', '云原生与安全', _d(2024, 1, 18)),
    "izj007__wechat__2024-2-2-cookie-XSS-b6c3c18d.md": _e(
        '一则不能弹出cookie的XSS漏洞的危害升级', '薯条机器猫', _d(2024, 2, 2)),
    "izj007__wechat__F12sec-2021-8-9-1ae9ffe7.md": _e(
        '[好文转载] 通用的针对源码泄露利用程序的反制(常见工具集体沦陷)', 'F12sec', _d(2021, 8, 9)),
    "izj007__wechat__Gamma-2020-10-4-5ff28a12.md": _e(
        '免杀技巧-执行系统命令方式总结', 'Gamma实验室', _d(2020, 10, 4)),
    "izj007__wechat__HACK-2022-4-4-2593be1c.md": _e(
        '实战 | 记一次艰难的渗透提权', 'HACK学习呀', _d(2022, 4, 4)),
    "izj007__wechat__LemonSec-2023-6-21-SubAps-91c260a9.md": _e(
        '新一代子域嗅探工具 -- SubAps', 'LemonSec', _d(2023, 6, 21)),
    "izj007__wechat__Ms08067-2022-11-8-efe1db24.md": _e(
        '技术人正确的财富观——挣钱要趁早', 'Ms08067安全实验室', _d(2022, 11, 8)),
    "izj007__wechat__NEO-2021-9-11-PostgreSQL-RCE-c891d2a9.md": _e(
        'PostgreSQL从弱口令到RCE实录', 'NEO攻防队', _d(2021, 9, 11)),
    "izj007__wechat__T-4-2023-7-23-2ab53495.md": _e(
        '对某国能源打点（上）', 'T大4的小圈圈', _d(2023, 7, 23)),
    "izj007__wechat__Xiao-2023-2-15-ChatGPT-amp-Pocsuite3-EXP-861d2564.md": _e(
        '【超详细】ChatGPT & Pocsuite3梦幻联动快速编写EXP（建议收藏）', '渗透Xiao白帽', _d(2023, 2, 15)),
    "izj007__wechat__freebuf-2021-08-09-RomBuster-90294a01.md": _e(
        '使用RomBuster获取网络路由器密码', 'FreeBuf', _d(2021, 8, 9)),
    "izj007__wechat__leveryd-2023-3-26-asm-a3280888.md": _e(
        '基于任务编排的漏扫实现(asm项目)', 'leveryd', _d(2023, 3, 26)),
    "izj007__wechat__snowming-2021-8-15-git-SVN-cms-bf7a355b.md": _e(
        '备份-git-SVN 文件泄露扫描及利用、批量cms指纹识别', 'snowming', _d(2021, 8, 15)),
}

# Archive posts: front matter title/date, account from the credit line, url from its link;
# status 'deleted' exactly when the link to the original is struck through.
EXPECTED_CLEAN: dict[str, dict] = {
    "Terminus2049__Terminus2049.github.io__2018-03-22-li-chen-jian-bfa7e52d.md": _e(
        '李沉简：挺直脊梁 拒做犬儒（北大一二〇纪念）', None, _d(2018, 3, 22), status='deleted',
        url='https://mp.weixin.qq.com/s/MFAzUPIRfusw-SHvdWH3Ug'),
    "Terminus2049__Terminus2049.github.io__2018-03-30-tang-lan-lan-cai-xin-49cba25b.md": _e(
        '财新特稿：汤兰兰案疑云', None, _d(2018, 3, 30),
        url='https://mp.weixin.qq.com/s/6Q4pf0jjPNv5qW2ZTJ8uLQ'),
    "Terminus2049__Terminus2049.github.io__2018-04-24-qdaily-90339bed.md": _e(
        '一个北大学生被“请了家长”，法学院教授发布《约谈指南》', '好奇心日报', _t(2018, 4, 24, 15, 30), status='deleted',
        url='https://www.qdaily.com/articles/52503.html'),
    "Terminus2049__Terminus2049.github.io__2018-05-07-jia-ling-min-freedom-cdbc6c4b.md": _e(
        '从访民到公民，“就是咽不下这口气”的贾灵敏今日出狱', 'NGOCN', _t(2018, 5, 7, 20, 34), status='deleted',
        url='https://mp.weixin.qq.com/s/vMVLto2gO9wfC_EQvUfooQ'),
    "Terminus2049__Terminus2049.github.io__2018-05-13-cai-hong-hui-zhang-24fe209f.md": _e(
        '从“彩虹徽章”事件看性少数如何避免暴力冲突', '北京同志中心', _d(2018, 5, 13),
        url='https://mp.weixin.qq.com/s/VmVTB6sWxhtrGKRQHVjxyg'),
    "Terminus2049__Terminus2049.github.io__2018-06-09-truck-drivers-strike-1592e782.md": _e(
        '中国卡车司机罢工了对社会的影响有多大？', '物流新资讯', _t(2018, 6, 9, 23, 30), status='deleted',
        url='https://mp.weixin.qq.com/s/MxWKU40DU-wCAGwzv5B9ew'),
    "Terminus2049__Terminus2049.github.io__2018-06-14-canton-heavy-rain-bac71fc6.md": _e(
        '广州17岁男生触电身亡调查：致命电箱多处不合规范', '重案组37号', _d(2018, 6, 14), status='deleted',
        url='https://mp.weixin.qq.com/s/61OPaVcbC-0LQYShGxSqzg'),
    "Terminus2049__Terminus2049.github.io__2018-06-14-fo-shan-heavy-rain-076cdd52.md": _e(
        '佛山母女 大雨中逝去', None, _d(2018, 6, 14), status='deleted'),
    "Terminus2049__Terminus2049.github.io__2018-07-18-the-young-cedb547f.md": _e(
        '当一代年轻人变得无法理解：从一位中山大学硕士的毕业选择谈起', '风华君', _d(2018, 7, 18), status='deleted',
        url='https://mp.weixin.qq.com/s/SySxRkRPMZjy-5ypG9_sZQ'),
    "Terminus2049__Terminus2049.github.io__2018-09-01-comment-first-lesson-551b639e.md": _e(
        '吐槽《开学第一课》的文章纷纷被删，里面到底讲了什么', '珺生活', _t(2018, 9, 1, 22, 35), status='deleted',
        url='https://mp.weixin.qq.com/s/ScgIh8KzZKk1TPfAOlyTAA'),
    "Terminus2049__Terminus2049.github.io__2018-09-01-leiyang-education-2bfb3f76.md": _e(
        '昨天，湖南耒阳，令人揪心的“开学第一课”⋯⋯', '金口娱言', _d(2018, 9, 1), status='deleted',
        url='https://mp.weixin.qq.com/s/GeeTwRs8LHVpYhSA907Shw'),
    "Terminus2049__Terminus2049.github.io__2018-09-11-business-metoo-62c0c7f3.md": _e(
        '当商业大佬被卷入米兔的世界', '虎嗅网', _d(2018, 9, 11), status='deleted',
        url='https://mp.weixin.qq.com/s/NRIwLHj9BqWhZzxcN4r3Nw'),
    "Terminus2049__Terminus2049.github.io__2018-11-09-C9-hot-search-64c650a7.md": _e(
        '泉港：热搜的一天和“无声”的渔港', 'NGOCN君', _d(2018, 11, 9), status='deleted',
        url='https://mp.weixin.qq.com/s/-7VxGqC8JSCFdOrm_NmClg'),
    "Terminus2049__Terminus2049.github.io__2018-12-16-Canada-guidelines-ab7f927d.md": _e(
        '惩罚加拿大完整指南', '歪理邪说', _d(2018, 12, 16), status='deleted',
        url='https://mp.weixin.qq.com/s/y2zkvQtmXaowwYlZ7rXdVA'),
    "Terminus2049__Terminus2049.github.io__2019-01-04-wanglinqing-83992e0f.md": _e(
        '独家：王林清猛料', '万象评论', _d(2019, 1, 4), status='deleted',
        url='https://mp.weixin.qq.com/s/SBnAUJ0YnFPdtZTB3Hj3VA'),
    "Terminus2049__Terminus2049.github.io__2019-01-22-renkoubaoweizhan-0946cd9c.md": _e(
        '拍出四万亿鼓励生育，可行吗？', '虎嗅APP', _d(2019, 1, 22), status='deleted',
        url='https://mp.weixin.qq.com/s/0DnMjwHQDmQ5M6izfj2R5w'),
    "Terminus2049__Terminus2049.github.io__2019-02-02-qiuyu-tongbao-d5c3eb7c.md": _e(
        'Qy系列案件通报之二：兵丁的谎言是阳光下的泡泡', '大水之上', _d(2019, 2, 2), status='deleted',
        url='https://mp.weixin.qq.com/s/C7QuILLAYl1R91YzV1Clsw'),
    "Terminus2049__Terminus2049.github.io__2019-03-28-lou-ye-fe9a82ba.md": _e(
        '娄烨，被审查的20年', '导筒', _d(2019, 3, 28), status='deleted',
        url='https://mp.weixin.qq.com/s/HSKkxKnYXAiiwDyJ-jgopg'),
    "Terminus2049__Terminus2049.github.io__2019-04-03-taochongyuan-death-f7ee1b4f.md": _e(
        '“我是陶崇园的姐姐，我终于为弟弟要到了那句道歉”', '每日人物', _d(2019, 4, 3), status='deleted',
        url='https://mp.weixin.qq.com/s/OHphfWx5wG0v8LYD4B8KsA'),
    "Terminus2049__Terminus2049.github.io__2019-04-05-dai-e4685a3d.md": _e(
        '五环外与乡下人的悲歌：被忽略的大多数', '饭统戴老板', _d(2019, 4, 5), status='deleted',
        url='https://mp.weixin.qq.com/s/mIdaV1JCXlEoL___SRfbng'),
    "Terminus2049__Terminus2049.github.io__2019-05-08-p2p-737391db.md": _e(
        '带血的庞氏，p2p消亡简史', None, _d(2019, 5, 8), status='deleted',
        url='https://mp.weixin.qq.com/s/PrAFg-uhNRhOaxHCPn97PQ'),
    "Terminus2049__Terminus2049.github.io__2019-05-11-ugly-law-8de0cd87.md": _e(
        '寻衅滋事罪判决自2013起爆燃式增长已超过32万件，浙江河南上海寻衅滋事判决数量全国领先', '朱孝顶', _d(2019, 5, 11), status='deleted',
        url='https://mp.weixin.qq.com/s/dsXame6NfNuEyDD2-w3jjw'),
    "Terminus2049__Terminus2049.github.io__2019-05-27-non-beijing-hukou-children-ha-96e8ad36.md": _e(
        '非京籍孩子上学到底有多难？', '浮生', _d(2019, 5, 27), status='deleted'),
    "Terminus2049__Terminus2049.github.io__2019-06-26-internet-info-safe-18102214.md": _e(
        '“翻墙罪”终于来了！！！vpn将成历史。', '蚝哥帮帮忙', _d(2019, 6, 29), status='deleted',
        url='https://mp.weixin.qq.com/s/hYGpzjd7uf-WlaLbpaqjjw'),
    "Terminus2049__Terminus2049.github.io__2020-01-29-2019nCoV-influence-economy-5fde55d7.md": _e(
        '武汉肺炎对经济影响有多大？', '芥末财经', _d(2020, 1, 29), status='deleted',
        url='https://mp.weixin.qq.com/s/OCmXvDRmEHa48bQARm1qKQ'),
    "Terminus2049__Terminus2049.github.io__2020-02-02-people-outside-of-statistics-8af16ca4.md": _e(
        '统计数字之外的人：他们死于“普通肺炎”？', '财经杂志', _d(2020, 2, 2), status='deleted',
        url='https://mp.weixin.qq.com/s/OQGVZlrJWID9Gn4A_T5u_g'),
    "Terminus2049__Terminus2049.github.io__2020-02-07-li-wen-liang-2-5bfd03d6.md": _e(
        '为李文亮医生立传后，我被约谈8小时至今天凌晨', '权益墙', _d(2020, 2, 7), status='deleted'),
    "Terminus2049__Terminus2049.github.io__2020-02-09-regret-of-wuhan-how-china-mis-b9fce5d4.md": _e(
        '中国新闻周刊｜武汉之憾：黄金防控期是如何错过的？', '中国新闻周刊', _d(2020, 2, 9), status='deleted',
        url='https://mp.weixin.qq.com/s/jEfGiRB6EJc0eX-MCZCM0A'),
    "Terminus2049__Terminus2049.github.io__2020-02-09-responsibility-of-survivors-f35e6065.md": _e(
        '幸存者的责任', '瘟疫年纪事', _d(2020, 2, 9), status='deleted',
        url='https://mp.weixin.qq.com/s/RNzm_mm5fPZJ3DJWb1TdZw'),
    "Terminus2049__Terminus2049.github.io__2020-03-13-bing-dian-79e06ec9.md": _e(
        '武汉市中心医院医生：传染病留给大家反应的时间太短了', '中国青年报 冰点周刊', _d(2020, 3, 13)),
}

# Strings only page chrome contains; none may reach a body.
CHROME = ("预览时标签不可点", "长按二维码向我转账", "受苹果公司新规定影响", "赞赏二维码", "微信扫一扫",
          "轻点两下取消", "看一看入口已关闭", "写下你的想法", "已同步到看一看", "发送到看一看",
          "最多200字", "继续滑动看下一个", "向上滑动看下一个", "轻触阅读原文", "小懒自动备份",
          "返回列表页", "收录于话题", "收录于合集", "发表于_", "以下文章来源于", "javascript:void",
          "cover_image", "www.w3.org/2000/svg", "qlogo.cn", "Read more](", "Kudos to the Author",
          "内容含AI生成图片", "修改于 20", "原文来自", "文章来自", "原文链接：",
          "&from;=", "wx_lazy", "#imgIndex", "Back to Index", "Copyright (C)")
# Whole lines that are page chrome (the same words inside a sentence are the author's).
CHROME_LINES = {"个人观点，仅供参考", "支持就是最好的支持", "往期推荐", "阅读原文", "在看", "赞"}
ALL = {**{("raw", k): v for k, v in EXPECTED_RAW.items()},
       **{("clean", k): v for k, v in EXPECTED_CLEAN.items()}}
GOLDEN = ["[Gamma实验室]-2020-10-4-gamma.md", "[Ms08067安全实验室]-2022-11-8-ms08067.md",
          "lazy13source-3e32b1da.md", "obsidian-agent.md", "obsidian-ai.md",
          "terminus-canton-heavy-rain.md", "terminus-qdaily.md", "terminus-renkoubaoweizhan.md",
          "hostile.md"]
RENDER = MarkdownIt("commonmark").enable("table")  # raw HTML on: the worst case


def _original_names(folder: Path) -> dict[str, str]:
    names = {}
    for line in (folder / "names.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            fixture, _repo, repo_path = line.split("\t")
            names[fixture] = repo_path.rsplit("/", 1)[-1]
    return names


@lru_cache(maxsize=None)
def read_specimen(family: str, name: str) -> RawDoc:
    folder = RAW_DIR if family == "raw" else CLEAN_DIR
    original = _original_names(folder)[name]  # the adapter reads conventions from the name
    (doc,) = adapter.read(Path(original), (folder / name).read_bytes())
    return doc


def read_text(text: str, name: str = "a.md") -> RawDoc:
    (doc,) = adapter.read(Path(name), text.encode("utf-8"))
    return doc


def assert_inert(markdown: str) -> None:
    """Rendered with raw HTML allowed, MARKDOWN still yields nothing executable."""
    html = RENDER.render(markdown)
    assert not re.search(r"<(script|iframe|object|embed|svg|style|img[^>]*\son)", html, re.I), html
    assert not re.search(r"<[a-z][^>]*\son[a-z]+\s*=", html, re.I), html
    assert not re.search(r"<[^>]*\s(href|src)\s*=\s*[\"']?\s*(javascript|vbscript|data):", html, re.I), html


@pytest.fixture(scope="module")
def cfg(tmp_path_factory):
    site = tmp_path_factory.mktemp("site")
    (site / "site.yml").write_text("title: t\n", encoding="utf-8")
    return load_config(site)


# --- every specimen -------------------------------------------------------------------------

def test_every_specimen_is_expected():
    assert {p.name for p in RAW_DIR.glob("*.md")} == set(EXPECTED_RAW)
    assert {p.name for p in CLEAN_DIR.glob("*.md")} == set(EXPECTED_CLEAN)
    assert set(_original_names(RAW_DIR)) == set(EXPECTED_RAW)
    assert set(_original_names(CLEAN_DIR)) == set(EXPECTED_CLEAN)


@pytest.mark.parametrize("key", sorted(ALL), ids=lambda k: k[1][:40])
def test_title_account_date_match_the_specimen(key):
    doc, expected = read_specimen(*key), ALL[key]
    assert doc.format == "markdown" and doc.not_article is None
    assert (doc.title, doc.account, doc.date) == (
        expected["title"], expected["account"], expected["date"])
    assert doc.status == expected.get("status")
    if "url" in expected:
        assert doc.url == expected["url"]
    assert doc.markdown and doc.html is None and doc.text is None


@pytest.mark.parametrize("key", sorted(ALL), ids=lambda k: k[1][:40])
def test_no_chrome_survives_and_body_is_inert(key):
    body = read_specimen(*key).markdown
    code = code_lines(body)
    prose = "\n".join(ln for i, ln in enumerate(body.split("\n")) if i not in code)
    for s in CHROME:
        assert s not in prose, s
    for line in prose.split("\n"):
        assert not chrome.is_ui_line(line) and line.strip() not in CHROME_LINES, line
        assert not re.fullmatch(r"\s*(\*\*|__|!\[\]\(\))\s*", line), line
    assert "](javascript:" not in body
    assert_inert(body)


# First and last paragraph of the body: where the header and the trailing UI were cut.
ENDS = {
    ("raw", "izj007__wechat__Gamma-2020-10-4-5ff28a12.md"): (
        "“在渗透测试中", "转载是一种动力 分享是一种美德"),
    ("raw", "izj007__wechat__2020-4-24-a71577f5.md"): ("编者荐语：", "**右下角点个在看，也是支持**"),
    ("raw", "izj007__wechat__2021-9-10-CVE-2021-40444-ad9d0690.md"): (
        "**前言:这几天导出都是这个漏洞的通告，就简单看了下。**", "![](https://raw.githubusercontent"),
    ("raw", "izj007__wechat__2022-9-23-7cfa3f2e.md"): ("在实战过程中", "因此实战中不可能遇到。"),
    ("raw", "izj007__wechat__2021-8-21-DOM-Invader_-DOM-XSS-Chen-s-Bl-a01adb2e.md"): (
        "编译作者：key", "};"),
    ("raw", "cysk003__Lazy13source.github.io__a3e11db4.md"): (
        "陪伴了我们四年的特朗普", "![](https://mmbiz.qpic.cn/"),
    ("raw", "akan__obsidian_repo__AI-5ec5e9e4.md"): ("## 看完《技能五子棋》第三天", "感谢关注脑洞老胡。"),
    ("raw", "akan__obsidian_repo__Agent-49f54990.md"): (
        "> \"我们最想颠覆的", "**你觉得，什么样的AI交互方式才是最自然的？欢迎在评论区分享你的想法。**"),
    ("raw", "akan__obsidian_repo__Neovate-Code-1c3fe170.md"): ("![Neovate Code]", "就不会存在。感谢这些项目的作者和维护者。"),
    ("clean", "Terminus2049__Terminus2049.github.io__2018-06-14-canton-heavy-rain-bac71fc6.md"): (
        "![00.gif](https://i.loli.net/2018/06/15/5b234c08e92d4.gif)", "![07.jpg]"),
    ("clean", "Terminus2049__Terminus2049.github.io__2019-04-05-dai-e4685a3d.md"): (
        "编辑：李墨天/楚团长", None),
    ("clean", "Terminus2049__Terminus2049.github.io__2020-03-13-bing-dian-79e06ec9.md"): (
        "编辑 从玉华", None),
}


@pytest.mark.parametrize("key", sorted(ENDS), ids=lambda k: k[1][:40])
def test_body_starts_and_ends_where_the_author_did(key):
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", read_specimen(*key).markdown)
                  if p.strip()]
    first, last = ENDS[key]
    assert paragraphs[0].startswith(first), paragraphs[0]
    if last:
        assert last in paragraphs[-1], paragraphs[-1]


def test_page_header_fields():
    doc = read_specimen("raw", "izj007__wechat__2022-2-28-_-Zabbix-071b81a7.md")
    assert (doc.account_id, doc.author) == ("blueteams", "bggsec")
    assert doc.tags == ["译文分享", "赏金猎人", "代码审计"]
    doc = read_specimen("raw", "izj007__wechat__leveryd-2023-3-26-asm-a3280888.md")
    assert (doc.account_id, doc.tags) == ("gh_8d7f6ed4daff", ["漏洞扫描"])
    doc = read_specimen("raw", "izj007__wechat__2023-8-3-RCE-4949edd6.md")
    assert doc.author == "Luca Carettoni" and doc.account == "军机故阁"
    doc = read_specimen("raw", "izj007__wechat__2021-8-17-8d3135fe.md")
    assert doc.author is None and doc.account_id == "zhengfu"


def test_repost_card_becomes_source_and_author():
    doc = read_specimen("raw", "izj007__wechat__2020-4-24-a71577f5.md")
    assert (doc.source, doc.author) == ("安在", "流苏是苏苏")
    assert "人物、热点、互动、传播" not in doc.markdown and "wx.qlogo.cn" not in doc.markdown
    doc = read_specimen("raw", "izj007__wechat__2023-11-8-Defense-Evasion-b84d345f.md")
    assert (doc.source, doc.author) == ("干杯Security", "鬼屋女鬼")
    assert "Hacking Every Day" not in doc.markdown
    assert "列取了一些Anti Virus的规避要点" in doc.markdown  # the editor's note is content


def test_backup_repairs_image_urls():
    doc = read_specimen("raw", "cysk003__Lazy13source.github.io__357d2bad.md")
    urls = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", doc.markdown)
    assert urls and all(re.fullmatch(r"https://mmbiz\.qpic\.cn/\S+/640(\?wx_fmt=\w+)?", u)
                        for u in urls), urls
    assert "](https://mp.weixin.qq.com" in doc.markdown  # real links kept
    assert not re.search(r"(?<!!)\[\]\(", doc.markdown)  # invisible links dropped


def test_clipping_fields():
    doc = read_specimen("raw", "akan__obsidian_repo__Agent-49f54990.md")
    assert doc.author == "RPA二师兄" and doc.tags == ["视觉化交互", "多智能体协作", "垂直场景应用"]
    assert doc.summary.startswith('过去两年，我们见证了AI从"能用"到"好用"的跨越。')
    assert doc.url == "https://mp.weixin.qq.com/s/nyL7TkurrCHi0_obSK-8ww"
    assert not doc.markdown.lstrip().startswith("## Agent设计的未来")  # title heading dropped
    doc = read_specimen("raw", "akan__obsidian_repo__VC-BVP-30-5-AI-7499a4e7.md")
    assert doc.cover.startswith("https://mmbiz.qpic.cn/sz_mmbiz_jpg/9VjWVBpa4sxUgVQvDqibSKD8")
    assert (doc.author, doc.account) == ("智能乌鸦", "乌鸦智能说")
    doc = read_specimen("raw", "akan__obsidian_repo__Hinton-24180efd.md")
    assert doc.author is None  # "Weixin Official Accounts Platform" is the clipper's guess
    assert doc.url == ("https://mp.weixin.qq.com/s?__biz=Mzg4NDQwNTI0OQ%3D%3D&mid=2247588749"
                       "&idx=1&sn=ba00f3e94e3cfa8387dca5401ee07ce5") or doc.url == (
        "https://mp.weixin.qq.com/s?__biz=Mzg4NDQwNTI0OQ==&mid=2247588749&idx=1"
        "&sn=ba00f3e94e3cfa8387dca5401ee07ce5")
    assert doc.identity == "wx:Mzg4NDQwNTI0OQ==:2247588749:1"
    doc = read_specimen("raw", "akan__obsidian_repo__Dify-v1.6.0-MCP-AI-a20874f5.md")
    assert doc.url == "https://mp.weixin.qq.com/s/LrwMA1vatWcyICaZHE7jaQ"  # no scene/click_id


def test_archive_fields():
    doc = read_specimen("clean", "Terminus2049__Terminus2049.github.io__2018-06-14-canton-heavy-rain-bac71fc6.md")
    assert doc.author == "庞礡、郑洁" and doc.tags == ["广佛暴雨触电事故"]
    assert doc.cover == "https://i.loli.net/2018/06/15/5b2349f01baf4.jpg"
    assert doc.summary.startswith("经核，出事机箱为金税信息技术服务股份有限公司负责管养。")
    doc = read_specimen("clean", "Terminus2049__Terminus2049.github.io__2018-12-16-Canada-guidelines-ab7f927d.md")
    assert (doc.account, doc.account_id, doc.author) == ("歪理邪说", "wxieshuo", "霍炬")
    doc = read_specimen("clean", "Terminus2049__Terminus2049.github.io__2018-05-07-jia-ling-min-freedom-cdbc6c4b.md")
    assert doc.author == "牛犇犇" and doc.markdown.lstrip().startswith("首发于2015年5月")
    doc = read_specimen("clean", "Terminus2049__Terminus2049.github.io__2019-05-08-p2p-737391db.md")
    assert doc.cover == "https://i.loli.net/2019/05/08/5cd2fb0477520.jpeg"  # ‘curly quotes’ gone
    doc = read_specimen("clean", "Terminus2049__Terminus2049.github.io__2018-06-14-fo-shan-heavy-rain-076cdd52.md")
    assert doc.author == "罗婷" and doc.identity == "wx:MjEwMzA5NTcyMQ==:2653088612:1"
    assert "微博地址：" in doc.markdown and "编辑：赵涵漠" in doc.markdown  # unmapped lines stay


# --- goldens ----------------------------------------------------------------------------------

@pytest.mark.parametrize("name", GOLDEN)
def test_golden_output(name, cfg):
    (item,) = convert(Path(name), (GOLDEN_DIR / name).read_bytes(), "markdown", cfg)
    assert item.error is None and item.text
    check_text(item.text, GOLDEN_DIR / (Path(name).stem + ".out.md"))


def test_hostile_markdown_is_inert_but_code_is_kept():
    doc = read_text((GOLDEN_DIR / "hostile.md").read_text(encoding="utf-8"), "hostile.md")
    assert_inert(doc.markdown)
    assert "javascript:" not in doc.markdown and "<script" not in doc.markdown.replace(
        "`<script>行内代码保留</script>`", "").replace("    <script>缩进代码保留</script>", "").replace(
        "<script>围栏代码保留</script>", "")
    for kept in ("`<script>行内代码保留</script>`", "    <script>缩进代码保留</script>",
                 "```html\n<script>围栏代码保留</script>\n```", "[正常链接](https://example.com/page \"标题\")",
                 "![好图](https://example.com/a.png)", "<https://example.com/ok>", "点击这里", "链接文字"):
        assert kept in doc.markdown, kept
    assert doc.url is None and doc.source is None and doc.cover is None  # script/data URLs
    assert doc.summary == '摘要"引号"' and doc.author == "某人"
    assert doc.date == _t(2020, 1, 2, 3, 4)


@pytest.mark.parametrize("text", ["```\n\u3000```\n<script>alert(1)</script>",
                                  "```\n\u200b```\n<a href=\"javascript:x\">x</a>",
                                  "    code\n\u3000\n<img src=x onerror=alert(1)>"])
def test_imported_body_stays_inert_after_whitespace_cleaning(text, cfg):
    dated = "---\ndate: 2020-01-02\n---\n" + text  # an article by its date, not a README
    (item,) = convert(Path("w.md"), dated.encode("utf-8"), "markdown", cfg)
    assert_inert(item.article.body)


# --- helpers ----------------------------------------------------------------------------------

@pytest.mark.parametrize("source, expected", [
    ("a [x](javascript:alert(1)) b", "a x b"),
    ("[x](JAVASCRIPT&#58;alert(1))", "x"),
    ("[x]( java\nscript:alert(1))", "x"),
    ("[x](vbscript:msgbox)", "x"),
    ("[x](<javascript:alert(1)>)", "x"),
    ("![a](javascript:alert(1))b", "b"),
    ("![](data:image/png;base64,AAAA)", ""),
    ("![]()", ""),
    ("[](https://mp.weixin.qq.com/s/abc)", ""),
    ("[ok](https://e.com/a_(b)_c)", "[ok](https://e.com/a_(b)_c)"),
    ("[ok](https://e.com/x \"t\")", "[ok](https://e.com/x \"t\")"),
    ("[![](https://e.com/i.png)](https://e.com/)", "[![](https://e.com/i.png)](https://e.com/)"),
    ("<b>粗</b>体", "粗体"),
    ("a<br>b", "a\nb"),
    ("x<script>alert(1)</script>y", "xy"),
    ("x<style>p{}</style>y", "xy"),
    ("<img src=x onerror=alert(1)>", ""),
    ("<!-- c -->t", "t"),
    ("<?php echo 1; ?>t", "t"),
    ("<scr<script>ipt>alert(1)</script>", "&lt;scr"),
    ("<div", "&lt;div"),
    ("1 < 2 > 0", "1 < 2 > 0"),
    ("<https://e.com/x> <a@b.cn>", "<https://e.com/x> <a@b.cn>"),
    ("<javascript:alert(1)>", ""),
    ("`<b>x</b>`", "`<b>x</b>`"),
    ("``a ` <i>b</i>``", "``a ` <i>b</i>``"),
    ("\\<b>not a tag\\</b>", "\\<b>not a tag\\</b>"),
    ("[r]: javascript:alert(1)\n[go][r]", "[go][r]"),
    ("![](https://mmbiz.qpic.cn/a/640?wx_fmt=png&from;=appmsg&wx;_lazy=1#imgIndex=2)",
     "![](https://mmbiz.qpic.cn/a/640?wx_fmt=png)"),
    ("![](https://mp.weixin.qq.com/s/www.w3.org/2000/svg'%20x%3E%3Cg%20transform='translate(-249.000000,%20-126.000000)'%3E)",
     ""),
])
def test_make_inert(source, expected):
    assert make_inert(source) == expected


@pytest.mark.parametrize("source, expected", [
    # a code span cannot reach into the next block (the renderer parses blocks first)
    ("[```\n<script>```\n", "[```\n```\n"),
    # nor across table cells (cells are split on pipes before inline parsing)
    ("| a | b | c |\n|---|---|---|\n| `x | <img src=x onerror=alert(1)> | y` |",
     "| a | b | c |\n|---|---|---|\n| `x |  | y` |"),
    ("> `a\n> <b>x</b>` <i>y</i>", "> `a\n> <b>x</b>` y"),
])
def test_make_inert_follows_block_structure(source, expected):
    assert make_inert(source) == expected


PIECES = ["[", "]", "(", ")", "<", ">", "!", "`", "``", "\\", "\n", "\n\n", " ", "javascript:",
          "<script>", "</script>", "<img src=x onerror=alert(1)>", "a", "中", "*", "#", "    ",
          "<!--", "-->", "&#58;", "data:", "\"", "<a href=\"javascript:x\">", "</a>", "<div", "> ",
          "- ", "| ", "|---|", "```\n", "<svg/onload=x>", "<iframe", "在看\n"]


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.sampled_from(PIECES), max_size=60).map("".join))
def test_any_markdown_comes_out_inert(text):
    try:
        doc = read_text(text, "f.md")
    except InputError:
        return
    assert_inert(doc.markdown)


@pytest.mark.parametrize("text", [
    "[" * 20000, "![" * 20000, "<!--" * 20000, "<script>" * 20000, "`` ` " * 20000,
    "[x](" + "(" * 20000, "[" * 3000 + "<b>x</b>" + "](y)" * 3000, "字" * 1_000_000,
], ids=["brackets", "images", "comments", "scripts", "backticks", "parens", "nested", "long-line"])
def test_hostile_runs_take_linear_time(text):
    start = time.monotonic()
    doc = read_text(text)
    assert time.monotonic() - start < 10
    assert "<b>" not in doc.markdown and "<script>" not in doc.markdown


def test_make_inert_leaves_code_blocks_alone():
    md = "para\n\n    <script>x</script>\n\n```\n<img onerror=x>\n```\n"
    assert make_inert(md) == md


@pytest.mark.parametrize("source, expected", [
    ("**前言：文字。  \n**\n\n下文", "**前言：文字。**  \n\n下文"),
    ("a\n\n****\n\n__\n\n  *   *   * \n\nb", "a\n\n\n\n\nb"),
    ("a\n\n* * *\n\nb", "a\n\n* * *\n\nb"),
    ("#\n\n##  \n\n# 真标题", "\n\n# 真标题"),
    ("第一段  \n第二段", "第一段\n\n第二段"),
    ("> 引一  \n> 引二", "> 引一\n>\n> 引二"),
    ("* 项一  \n  续行", "* 项一  \n  续行"),
    ("**甲**|  **乙**  \n---|---  \n1| 2", "**甲**|  **乙**  \n---|---  \n1| 2"),
    ("    *     *     *     int main() {}", "    int main() {}"),
    ("段落\n\n      最近比较忙，没有更新公众号，今天聊聊挣钱的话题。", "段落\n\n最近比较忙，没有更新公众号，今天聊聊挣钱的话题。"),
    ("段落\n\n    int x = 1; // 计数", "段落\n\n    int x = 1; // 计数"),
    ("![](x.png)\n<figcaption>图注</figcaption>", "![](x.png)\n\n<figcaption>图注</figcaption>"),
    ("1. 1\\. **信息**\n2. 2、乙\n10. 1. 丙", "1. **信息**\n2. 乙\n10. 1. 丙"),
])
def test_tidy(source, expected):
    assert tidy(source) == expected


def test_image_urls():
    assert image_url("//mmbiz.qpic.cn/a/640?wx_fmt=jpeg&tp=webp") == \
        "https://mmbiz.qpic.cn/a/640?wx_fmt=jpeg"
    assert image_url("https://i.loli.net/x.jpg?a=1&amp;b=2") == "https://i.loli.net/x.jpg?a=1&b=2"
    assert url_is_unsafe(" JaVa\tScRiPt:x") and url_is_unsafe("data:text/html,x")
    assert not url_is_unsafe("https://e.com/javascript:x") and not url_is_unsafe("/rel/path")


@pytest.mark.parametrize("lines, fields, rest", [
    (["原文来自微信公众号“北京同志中心”：[标题](https://mp.weixin.qq.com/s/abc)", "", "作者：发声小组",
      "", "---", "", "正文"],
     dict(account="北京同志中心", author="发声小组", status=None, url="https://mp.weixin.qq.com/s/abc"),
     ["", "正文"]),
    (["原文来自「虎嗅APP」：~~[https://mp.weixin.qq.com/s/0Dn](标题)~~", "---", "正文"],
     dict(account="虎嗅APP", status="deleted", url="https://mp.weixin.qq.com/s/0Dn"), ["正文"]),
    (["原文来自 中国青年报 冰点周刊", "作者 记者 杨海", "编辑 从玉华", "---", "正文"],
     dict(account="中国青年报 冰点周刊", author="记者 杨海", url=None), ["编辑 从玉华", "", "正文"]),
    (["> 原文来自微信新京报微信公众号「重案组37号 」：~~[t](https://mp.weixin.qq.com/s/x)~~", ">",
      "> 作者：作者 \\| 牛犇犇", "", "---", "正文"],
     dict(account="重案组37号", author="牛犇犇", status="deleted"), ["正文"]),
    (["文章来自 ~~[NGOCN](https://mp.weixin.qq.com/s/v)~~，首发于2015年5月", "", "正文"],
     dict(account="NGOCN", status="deleted"), ["首发于2015年5月", "", "", "正文"]),
])
def test_credit_block(lines, fields, rest):
    raw = RawDoc(input="a.md", format="markdown", title="标题")
    assert credit_block(raw, lines) == rest
    for key, value in fields.items():
        assert getattr(raw, key) == value, key


def test_generic_markdown_title_and_fallbacks():
    doc = read_text("# 我的标题\n\n正文 <b>加粗</b>。\n", "notes.md")
    assert doc.title == "我的标题" and doc.markdown.strip() == "正文 加粗。"
    doc = read_text("正文而已。\n", "随笔.md")
    assert doc.title == "随笔" and doc.date is None and doc.account is None
    doc = read_text("---\ntitle: t\ndate: 2020-01-01\ntags: 甲 乙\nauthor: [\"[[A]]\", B]\n---\nx\n")
    assert (doc.title, doc.date, doc.tags, doc.author) == ("t", _d(2020, 1, 1), ["甲", "乙"], "A、B")


def test_broken_yaml_front_matter_is_read_leniently():
    doc = read_text("---\ntitle: a: b: c\ndate: 2019-05-08\ntitle : dup\n---\n正文\n")
    assert doc.title == "a: b: c" and doc.date == _d(2019, 5, 8)


def test_sniff():
    assert adapter.sniff(Path("a.md"), b"anything")
    assert adapter.sniff(Path("a.MARKDOWN"), b"")
    assert adapter.sniff(Path("post"), "---\nlayout: post\ntitle: 标题\n---\n正文".encode())
    page = "#  标题\n\n原创 某 [ 号 ](javascript:void\\(0\\);)\n\n微信号 abc\n".encode()
    assert adapter.sniff(Path("page.txt"), page)
    assert not adapter.sniff(Path("a.txt"), "就是一段文字。".encode())
    assert not adapter.sniff(Path("a.html"), b"<html><body>---\ntitle: x</body></html>")
    assert not adapter.sniff(Path("a.json"), b'{"title": "x"}')


def test_detection_picks_this_adapter():
    for folder in (RAW_DIR, CLEAN_DIR):
        for name, original in _original_names(folder).items():
            assert detect(Path(original), (folder / name).read_bytes()) == "markdown", name
    for name in GOLDEN:
        assert detect(Path(name), (GOLDEN_DIR / name).read_bytes()) == "markdown", name
    clip = (GOLDEN_DIR / "obsidian-agent.md").read_bytes()
    assert detect(Path("clipping"), clip) == "markdown"  # front matter, no extension


def test_unreadable_input_names_the_file():
    with pytest.raises(InputError) as err:
        list(adapter.read(Path("bad.md"), bytes(range(128, 256)) * 40))
    assert err.value.path == "bad.md"


def test_a_file_name_date_out_of_range_is_reported_not_dropped_silently(tmp_path):
    path = tmp_path / "[某公众号]-2021-13-45-一篇文章的标题.md"
    path.write_text("正文的第一段，讲了一件事情，足够长的一句话。\n", encoding="utf-8")
    raw = next(adapter.read(path, path.read_bytes()))
    assert raw.date is None
    assert (raw.account, raw.title) == ("某公众号", "一篇文章的标题")  # the rest of the name still counts
    assert raw.warnings == ["the date in the file name is no day of the calendar: left out"]
    fine = tmp_path / "[某公众号]-2021-12-25-一篇文章的标题.md"
    fine.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    assert next(adapter.read(fine, fine.read_bytes())).warnings == []


def test_a_front_matter_date_out_of_range_is_reported(tmp_path):
    path = tmp_path / "a.md"
    path.write_text("---\ntitle: 标题\ndate: 2021-13-45\n---\n\n正文的第一段，讲了一件事情。\n",
                    encoding="utf-8")
    raw = next(adapter.read(path, path.read_bytes()))
    assert raw.date is None
    assert raw.warnings == ["front matter 'date: 2021-13-45' is no date (or out of range): left out"]
