#!/usr/bin/env python3
"""Build outages22.jsonl (blind evaluation set 22: Monday morning after a weekend upgrade).

Each report is one line of DATA:  label|minute|who|system|naming|title|text
  label  : B01..B15 (scenario), n:B01 (near miss of B01), g1..g6 (generic-word pair), bg (background)
  minute : minutes since 09:00 (0-300)
  who    : hb hx hd hz hn bh (staff region code) or ow (owner, via the app's 反馈 entry)
  system : gold system exactly as the guide spells it, or - for none
  naming : how the text names the system: exact / nick / abbr / typo (typo or traditional) / none / - (no system)
  title  : short title or empty
  text   : the report
The script only sorts (minute; on ties scenario, then near miss, then the rest), assigns ids b001... and
reporter ids, and writes outages22.jsonl next to itself.
"""
import json
import os

REGIONS = {"hb": "华北", "hx": "华西", "hd": "华东", "hz": "华中", "hn": "华南", "bh": "环渤海"}

DATA = r"""
# ---------------- B01 一应智能APP: forced update loop, app stores still carry the old version (upgrade) ----------------
B01|2.0|hd|一应智能APP|nick||一应智能打开就弹“当前版本过低，请升级至最新版本后使用”，点升级跳到华为应用市场，市场里还是旧版本，装完还是弹，登录不了，今天的巡检怎么做
B01|3.5|hb|一应智能APP|none||早上打卡打不了，手机一开就叫我升级，升级完了又叫升级，死循环了
B01|6.0|hz|一应智能APP|abbr||yyzn提示版本过低 小米商店下的还是3.8.2 是不是周末升级了新版还没上架？
B01|9.0|hn|一应智能APP|typo||智能APP又叫升級，應用寶入面個版本同舊嘅一樣，裝咗三次都係彈版本過低，成班師傅冇得接單
B01|14.0|bh|一应智能APP|exact||一应智能APP 安卓手机全部提示版本过低，苹果手机的同事正常，保洁签到只能先纸质登记
B01|20.0|hx|一应智能APP|none||请问今天是不是要换新的手机？我们这里安卓机都进不去那个工作的软件了，一直让更新，更新完还是让更新
n:B01|11.0|hx|一应智能APP|exact||一应智能APP 我换了新手机，登录提示“该账号已绑定其他设备”，麻烦帮我解绑一下，工号HX20315，谢谢
# ---------------- B02 新版收费云: receipt print templates not migrated, 打印 button moved (upgrade) ----------------
B02|8.0|hz|新版收费云|exact||新版收费云升级后收款完点打印收据，提示“未找到可用的打印模板，请联系管理员配置”，业主在窗口等着要收据
B02|16.0|hd|新版收费云|abbr||xbsfy 周末升完级收据模板全没了？模板管理里面是空的，以前我们自己调的那几个带公章位置的模板都不见了
B02|24.0|hb|新版收费云|none||请问升级后打印按钮在哪里？收款界面原来右下角那个打印没有了，找到“更多-补打”点进去又说模板不存在
B02|33.0|hn|新版收费云|typo||收費雲補打收據話「打印模板不存在」，今日一朝已經兩個業主交咗費冇收據俾佢哋，手寫收據頂住先
B02|45.0|hx|新版收费云|none||收据打不出来，提示没有模板。我们三个项目都一样，区域说周末升级过，是不是模板没搬过来
n:B02|30.0|bh|新版收费云|exact||新版收费云 想请教一下，升级后减免单从哪里发起？菜单里没看到，是不是我这个账号要单独开权限
# ---------------- B03 CSS: work orders from before the upgrade missing (history not migrated) ----------------
B03|15.0|hd|CSS|exact|历史工单查不到|CSS工单查询只能查到周六以后的，上周的报事记录全部查不到，业主打电话问上周报的漏水进度，我这边一条都找不到
B03|23.0|hb|CSS|abbr||css升级后历史工单没了？选上个月的日期查询结果0条，质检要抽查上周的单子也抽不了
B03|37.0|hz|CSS|nick||客服系统里老工单都不见了，只剩周末以后新建的。投诉回访要打上周五的，单号GD202612040031搜不到
B03|48.0|bh|CSS|none||搜上週的工單號顯示「暫無數據」，今天之前的單全部查不到了，回訪做不了
B03|60.0|hx|CSS|none||上周的报事单全都搜不到了，是不是升级把数据弄丢了？业主说之前报过三次都没人管，我们一条记录都查不到
n:B03|40.0|hn|CSS|exact||CSS 新嚟嘅客服同事未有賬號，麻煩幫手開一個，工號HN10482，多謝
# ---------------- B04 一应驿站: parcels checked in over the weekend gone from 在库 (not migrated) ----------------
B04|25.0|hz|一应驿站|nick||驿站系统升级后，周六周日入库的件在系统里全没了，库存只显示今天早上的12件，货架上明明两百多件，业主报取件码出库提示“取件码无效”
B04|29.0|ow|一应驿站|nick||我周六收到短信说快递到驿站了，取件码3-2-1087，今天去拿工作人员说系统里查不到，让我等，到底什么情况
B04|38.0|hd|一应驿站|abbr||yz升级后老包裹都查不到，只能让业主报手机号后四位，工作人员翻货架一件件找，队排到门口了
B04|47.0|ow|一应驿站|none||取件码无效？？？短信上明明写着取件码，去了说没记录，已经跑了两趟了
B04|58.0|hn|一应驿站|typo||一應驛站週末收嘅件全部唔見咗，出庫搵唔到記錄，師傅話要人手登記先俾業主攞
B04|70.0|hb|一应驿站|exact||一应驿站 升级之后周末的在库件数据没迁过来吧？我们这边也一样，现在只能手工记台账
n:B04|40.0|ow|一应驿站|nick||驿站能不能帮我把快递送上楼？我腿脚不方便，住8栋1203
n:B04|52.0|hx|一应驿站|exact||一应驿站 想问一下，新来的快递员要开一个录件的账号怎么弄
# ---------------- B05 一应生活APP: 物业缴费 entry gone from the new home page, only 生活缴费 (upgrade) ----------------
B05|35.0|ow|一应生活APP|nick||更新了一应生活之后找不到交物业费的地方了，首页那个缴费点进去只有水费电费燃气费，物业费去哪交？
B05|44.0|hd|一应生活APP|exact||一应生活APP新版首页的物业缴费入口没了，业主都跑来前台交，今天上午已经十几个了，是不是升级把入口弄没了
B05|53.0|ow|一应生活APP|nick||app上交不了物业费了，是不是你们故意的，还要我专门跑一趟
B05|66.0|hn|一应生活APP|typo||業主話app搵唔到交管理費嘅位，生活繳費入面得水電煤，係咪新版本改咗？
B05|78.0|ow|一应生活APP|none||我想交停车费和物业费，点缴费只能选城市和水电公司，是不是我点错了？
B05|95.0|hb|一应生活APP|none||业主手机上缴费那一栏变了，只显示第三方的生活缴费，物业账单看不到，前台一直在排队交费。请问什么时候能改回来
n:B05|60.0|ow|一应生活APP|nick||一应生活怎么换绑手机号？我原来的号码不用了
n:B05|85.0|hz|一应生活APP|exact||一应生活APP后台新版怎么发社区公告？以前那个菜单找不到了，明天停水要通知
# ---------------- B06 金蝶EAS: 付款单/报销单 save fails, 列名无效 after the weekend patch (upgrade) ----------------
B06|50.0|hd|金蝶EAS|exact|EAS付款单保存报错|金蝶EAS 付款单保存报错：BOSException: 列名 'CFPayeeBankID' 无效。周末打完补丁就这样了，今天要付的供应商款全卡着
B06|61.0|hz|金蝶EAS|abbr||eas报销单一保存就弹一大串红字，什么列名无效，截图发群里了，谁帮看看
B06|74.0|hb|金蝶EAS|typo||金碟 提交费用报销单失败，SQLException 列名无效，请问是单据问题还是系统问题？
B06|86.0|bh|金蝶EAS|none||付款申請單保存失敗，提示列名無效，月初要付的款全部卡住了
B06|100.0|hx|金蝶EAS|none||报销单、付款单都存不了，提示“列名 CFPayeeBankID 无效”，我们整个财务部上午什么都做不了，肖睿电话一直占线
n:B06|70.0|hn|金蝶EAS|abbr||EAS 我個賬號鎖咗，輸錯三次密碼，麻煩彭戈幫手解鎖重置下
# ---------------- B07 新版物业管理云: role permissions not migrated, 403 everywhere (upgrade) ----------------
B07|60.0|hb|新版物业管理云|exact|升级后全员403|新版物业管理云升级后登进去菜单只剩首页，点品质检查、装修管理都是“403 无权限访问”，区域管理员账号倒是正常
B07|68.0|hz|新版物业管理云|nick||物业云进去什么都点不了 一点就没有权限 访客登记也登不了
B07|82.0|hd|新版物业管理云|none||请问是不是周末升级后权限要重新申请？我们项目所有人进去都提示无权限，连项目经理也是
B07|95.0|hn|新版物业管理云|typo||物業雲升級後全部角色權限冇晒，裝修登記、巡查都入唔到
B07|110.0|hx|新版物业管理云|abbr||wyy 403无权限，换了三个人的账号都一样，岗亭只能纸质登记
# ---------------- B08 云屋: meetings keep dropping, 网络连接已断开 (carrier line, NOT upgrade) ----------------
B08|88.0|hd|云屋|exact||云屋开会一直“网络不稳定，正在重新连接”，周一例会开不下去
B08|90.0|hb|云屋|abbr||yunwu 卡成ppt了 声音断断续续 然后直接掉线
B08|93.0|hz|云屋|none||开会的那个软件一直掉线，手机开4G也一样，是我们网的问题还是软件的问题？
B08|97.0|hn|云屋|typo||雲屋開會斷咗五六次，每次都話網絡連接已斷開，連4G都係咁
B08|105.0|bh|云屋|none||例會掉線好幾次，提示「網絡連接已斷開 正在重連」，有同事說是運營商線路在搶修，跟週末升級沒關係吧？
B08|118.0|hx|云屋|exact||云屋视频会议画面一直转圈，区域会只好改电话会议了
n:B08|100.0|hb|云屋|exact||云屋开通 新来的区域经理要开个云屋账号，是找王会宗吗？
# ---------------- B09 BMS: 业主房产关系 身份 field blank after migration, owners become 访客 (upgrade) ----------------
B09|105.0|hz|BMS|exact||BMS升级后业主信息里“业主房产关系”的身份一栏全是空的，之前都是业主/业主家人，现在业主打电话说app变访客了
B09|116.0|ow|BMS|none||我是业主，以前认证好的，今天打开显示访客，满意度问卷也打不开，要重新认证吗
B09|128.0|hd|BMS|abbr||bms 房产关系身份字段显示“未知”，我们小区1300多户全是，手动改一户要两分钟，改不过来
B09|142.0|bh|BMS|none||業主信息裡的身份欄全部變成空白，業主都變成訪客了，請問是升級的問題嗎
B09|160.0|hx|BMS|nick||B端那个后台的业主身份是空的，业主说app上不能缴费了，让我们改，改都改不完
n:B09|135.0|hn|BMS|exact||BMS 有個業主嘅家人電話登記錯咗，想改但係提示“手機號已被其他住戶使用”，點搞
# ---------------- B10 格美特停车系统: manual barrier needs 抬杆原因, drop-down empty (upgrade) ----------------
B10|120.0|hd|格美特停车系统|exact||格美特停车系统岗亭端升级后，手动抬杆要选“抬杆原因”，下拉框是空的，点确定提示请选择抬杆原因，抬不了杆，只能用遥控器
B10|128.0|ow|格美特停车系统|none||出口杆不抬，保安在电脑上点了半天说抬不了，后面排了七八辆车
B10|139.0|hz|格美特停车系统|nick||停车系统手动开闸提示“请选择抬杆原因”，但是没有选项，是不是周末升级漏了配置？
B10|151.0|ow|格美特停车系统|none||车场出口那么多车堵着，保安说系统升级了开不了杆，这都几点了
B10|170.0|hn|格美特停车系统|typo||格美特手動抬桿要揀原因，下拉冇嘢揀，遙控器又冇電，保安要企喺度人手推
n:B10|145.0|hb|格美特停车系统|nick||格美特 有个业主月卡续费时车牌录错了一个字母，现在就他这台车进场识别不了，怎么改
# ---------------- B11 一应之家: workflows submitted before the upgrade cannot be opened (表单版本不存在) (upgrade) ----------------
B11|140.0|hb|一应之家|exact||一应之家 待办里上周五提交的请假单一打开就提示“表单版本不存在”，批不了，今天新提的倒能批
B11|156.0|hx|一应之家|nick||OA上周的用章申请点进去白屏，然后弹“流程实例已失效”，要让他们重新提吗？
B11|172.0|hd|一应之家|abbr||yyzj 上周的付款审批全卡住了，打开报“表单版本不存在”，供应商在催
B11|188.0|hn|一应之家|none||上個禮拜嘅審批全部開唔到，話表單版本唔存在，係咪要全部重新提交？
B11|205.0|hz|一应之家|nick||之家周末升级后老流程全挂了，我这里有17个待办打不开
# ---------------- B12 业主钱包: bank-card quick pay channel down (third-party channel, NOT upgrade) ----------------
B12|165.0|ow|业主钱包|exact||业主钱包用银行卡充值一直提示“支付渠道暂不可用”，换了两张卡都不行
B12|172.0|hz|业主钱包|nick||钱包绑卡充值失败 E-CHN-503，业主在前台问，用微信支付可以
B12|181.0|ow|业主钱包|none||充值不了，银行卡付款失败，是不是又升级了？
B12|190.0|hn|业主钱包|typo||業主錢包用銀行卡畀錢彈「支付渠道暫不可用」，長藤嗰邊講係銀聯通道出咗問題，唔關升級事
B12|200.0|ow|业主钱包|nick||用钱包交管理费，选银行卡付款转圈后说渠道异常，只能用微信了
B12|215.0|hd|业主钱包|exact|【通知】业主钱包银行卡支付通道故障|业主钱包银行卡快捷支付通道今天中午开始全部失败，已问陈旭，说是第三方支付通道故障，和周末升级无关，请各项目引导业主先用微信
n:B12|195.0|ow|业主钱包|exact||业主钱包支付密码忘了，怎么找回
# ---------------- B13 KM: old links 404 and favourites empty after the upgrade (upgrade) ----------------
B13|200.0|hd|KM|exact||KM升级后群里发的那些制度文件链接全部404，收藏夹也空了
B13|211.0|hx|KM|nick||知识库里我收藏的SOP全没了，以前的链接打开是“页面不存在”
B13|223.0|hz|KM|none||请问上周发的设备保养手册链接打不开了，提示404 Not Found，是换地址了吗
B13|234.0|bh|KM|abbr||zsk舊連結全部打不開，404，收藏也清空了
B13|245.0|hn|KM|exact||KM入面啲文件搜得到，但係群入面嘅舊link全部404
# ---------------- B14 社商云: product images lost in the migration (upgrade) ----------------
B14|200.0|hz|社商云|exact||社商云升级后商品图片全部裂了，后台商品列表一片灰，商户在问
B14|209.0|hd|社商云|abbr||ssy 商品主图全是灰框，重新上传提示“图片服务异常”
B14|220.0|hn|社商云|none||商戶後台啲商品圖全部冇咗，app上面都係白框，商戶打嚟問
B14|229.0|hb|社商云|none||商户后台图片不显示，是不是周末迁移的时候图片没迁？
B14|240.0|hx|社商云|nick||社商后台图片加载失败，商品详情页也没图，商户说影响下午的团购
n:B14|225.0|bh|社商云|exact||社商云 有商戶問怎麼新建一個商品分類，新版界面找不到
# ---------------- B15 SAAS: exports go to 下载中心, which stays empty (upgrade) ----------------
B15|250.0|hb|SAAS|exact||SAAS升级后报表导出变成“导出任务已提交，请到下载中心查看”，下载中心一直是空的
B15|259.0|hz|SAAS|abbr||saas导出不了 下载中心空白 月报今天要交
B15|270.0|hd|SAAS|nick||报表中心点导出没反应，只弹一句任务已提交，然后哪里都找不到文件
B15|282.0|bh|SAAS|none||下載中心一直空白，導出任務顯示已提交，但是沒有文件
B15|295.0|hn|SAAS|none||請問升級後導出嘅文件去咗邊？下載中心乜都冇
n:B15|265.0|hx|SAAS|exact||SAAS 能不能给我们加一个按楼栋统计收缴率的报表
"""

DATA += r"""
# ---------------- generic-word pairs (different systems, only generic words shared, <1 min apart) ----------------
g1|12.0|hd|CMP|exact||CMP打不开，一直白屏
g1|12.5|hz|一应青藤学院|nick||青藤打不开 今天要考试
g2|58.0|hb|SRM|exact||SRM报错了，提交报价单弹错误
g2|58.4|hx|销售易|abbr||xsy报错 新建商机保存不了
g3|122.0|hd|悦帮|exact||悦帮登录不了，提示密码错误，我没改过密码
g3|122.6|bh|ACRM|exact||ACRM登錄不了，一直轉圈圈
g4|178.0|hz|进销存|exact||进销存很慢，开个入库单要一分钟
g4|178.5|hn|账务清分系统|nick||清分系統好慢，查個流水等咗好耐
g5|232.0|hx|腾讯企业邮箱|nick||企业邮箱打不开，网页一直在加载
g5|232.4|hb|一应优选小程序|nick||优选后台打不开 团购订单看不了
g6|276.0|hd|IM后台|exact||IM后台报错，回复不了业主消息
g6|276.5|hz|海亿达智能楼控|nick||楼控报错 空调机组点不开
# ---------------- background one-offs ----------------
bg|0.5|hb|-|-||前台打印机卡纸了，拆了半天还亮红灯
bg|1.0|ow|-|-||3栋2单元电梯早上又停了，老人下不了楼
bg|4.0|hz|-|-||办公室wifi连上了但是上不了网，就我们这一层
bg|5.0|bh|主数据平台|exact||主数据平台 新项目编码申请提交一周了还没审批，麻烦催一下
bg|7.0|ow|-|-||楼上卫生间漏水漏到我家天花板了，已经三天了没人来看
bg|9.5|hz|-|-||周末说系统升级，我们电脑上要装什么插件吗？还是直接用就行
bg|10.0|hx|-|-||电脑开机蓝屏，重启了三次还是蓝屏
bg|18.0|hd|腾讯企业邮箱|nick||企业邮箱提示空间不足，能不能扩容一下，周末收了好多带附件的邮件
bg|21.0|ow|-|-||楼下装修早上八点就开始电钻，周一能不能管一管
bg|26.0|hn|长城自用收费云|nick||長城收費雲有張收據抬頭打錯咗，想作廢重開，點操作？
bg|28.0|hb|一应生活微信公众号|nick||公众号上昨天发的停水通知时间写错了，能不能撤回改一下
bg|31.0|ow|一应活动小程序|nick||你们那个报名小程序，周末的亲子活动我报了名，怎么取消
bg|34.0|hz|-|-||打卡机坏了，早上大家都没打上卡，人事那边怎么算
bg|39.0|hx|EAS-HR|exact||EAS-HR 里我的银行卡号要改一下，新办了工资卡
bg|42.0|ow|-|-||小区里有人遛狗不牵绳，我孩子被吓哭了
bg|46.0|hd|-|-||5号楼电梯困人，已经通知维保，人已经到场了
bg|51.0|bh|-|-||地庫燈壞咗一排，好黑，麻煩工程睇下
bg|55.0|hn|-|-||VPN連唔上，喺屋企做唔到嘢
bg|63.0|ow|-|-||小区门口快递柜屏幕黑了，取不了件
bg|65.0|hx|一应之家|exact||一应之家密码忘了，手机也换了收不到验证码，麻烦王书彬帮忙重置一下，工号HX20877
bg|71.0|hb|悦帮|exact||悦帮 有个师傅离职了，他名下还有3个单，怎么转给别人
bg|76.0|ow|-|-||大堂空调一直在滴水，地上湿了一片，小心滑倒
bg|80.0|hz|-|-||会议室投影仪连不上电脑，十点半要开会
bg|84.0|hd|太川门禁|exact||太川门禁 3号门人脸机有一个住户老是识别不了，其他人都正常
bg|87.0|ow|-|-||今天又停水？怎么没有通知
bg|92.0|bh|一应优选小程序|nick||優選有個團長說他上個月的佣金少了，想查一下明細
bg|99.0|hx|-|-||复印机缺粉了，谁管采购
bg|100.5|ow|-|-||在联盟购买的东西想退款，要怎么弄
bg|103.0|ow|-|-||晚上广场舞太吵了，能不能十点前结束
bg|108.0|hn|一应扫码购小程序|nick||掃碼購有件貨價錢標錯咗，門店想改價，喺邊度改
bg|112.0|hd|一应生活APP|nick||想开通一应生活后台设置满意度调查链接的权限，是找江博梓吗
bg|113.0|hb|结算中心微服务|nick||结算中心 想问一下商户提现手续费的规则是什么
bg|115.0|hz|-|-||电脑弹窗广告一直关不掉，是不是中毒了
bg|120.5|hb|KM|exact||KM 想申请品质部空间的编辑权限，找谁审批
bg|125.0|ow|-|-||家里门口的对讲门铃没声音了，按了也不响
bg|131.0|hd|海亿达智能楼控|nick||楼控平台 二号水泵房一个液位传感器显示离线，现场看是线松了，已经接好
bg|134.0|bh|-|-||辦公室飲水機漏水，麻煩行政找人來修
bg|137.0|hx|一应智能APP|exact||一应智能APP 我的巡检任务里多了一个已经拆掉的消防栓点位，怎么删掉
bg|140.5|hn|一应生活APP|nick||一應生活後台上載滿意度連結，業主話問卷打唔開，係咪連結前面有空格？
bg|144.0|ow|-|-||地下车库的充电桩扫码没反应
bg|148.0|hz|新版收费云|exact||新版收费云 有个业主多交了一个月物业费，怎么转成预存
bg|153.0|hn|-|-||部電腦開機好慢，開個excel都要兩分鐘
bg|158.0|ow|一应生活APP|nick||一应生活上报修的师傅说下午来，能不能改到明天上午
bg|162.0|hd|-|-||地下室有老鼠，保洁说要消杀，费用谁审批
bg|167.0|hb|CSS|exact||CSS 有一个投诉工单被误关了，能不能重新打开
bg|175.0|hx|销售易|exact||销售易 客户转给新同事怎么操作
bg|183.0|ow|-|-||电梯里的广告屏声音太大了，能调小吗
bg|186.0|bh|云屋|typo||雲屋開通 新同事要開個賬號，找王會宗是嗎？
bg|190.5|hb|一应生活APP|nick||这个月UV数怎么算的，我们项目比上个月少了一半
bg|193.0|hz|-|-||监控室3号屏黑屏了
bg|198.0|hn|新版物业管理云|typo||新版物業管理雲 新入職秩序員要開賬號，麻煩處理
bg|203.0|ow|-|-||车库顶上一直滴水，车上全是水印
bg|207.0|hd|CMP|exact||CMP 合同模板想加一个补充条款，能改模板吗
bg|213.0|hx|-|-||打印机连不上，显示脱机
bg|218.0|ow|业主卡微信公众号|nick||业主卡公众号怎么查消费记录
bg|226.0|hb|-|-||员工宿舍热水器坏了，洗不了澡
bg|237.0|hz|一应驿站|nick||驿站 有个快递员说件放错架子了，能不能在系统里改货架号
bg|243.0|ow|-|-||我的车位被别人占了，物业管不管
bg|248.0|hn|EAS-HR|exact||EAS-HR 個社保基數好似唔啱，想核對下
bg|253.0|hd|主数据平台|exact||主数据平台 组织架构里我们项目挂错区域了，应该在华东
bg|255.0|ow|一应生活APP|nick||一应生活一打开就闪退，手机是旧的华为
bg|257.0|bh|-|-||小區草坪灑水器壞了，水漫到路面上
bg|263.0|hx|一应生活微信公众号|nick||公众号菜单里“联系物业”的电话是旧的，能改吗
bg|268.0|ow|-|-||邻居家狗一直叫，晚上睡不着
bg|273.0|hz|BMS|exact||BMS 批量导入车位的模板在哪下载
bg|280.0|hb|一应青藤学院|nick||青藤学院 新员工课程没有分配给我
bg|286.0|ow|-|-||小区门口垃圾两天没人清了
bg|290.0|hn|-|-||辦公室wifi又斷咗
bg|293.0|hd|格美特停车系统|nick||格美特 访客车预约链接怎么发给业主
bg|298.0|hx|-|-||下午培训室的桌椅谁来搬
bg|146.0|hd|-|-||二期绿化带的喷淋管爆了，水一直在冒
bg|16.5|ow|-|-||能不能给我们楼道装个灯，晚上太黑
bg|75.0|hn|太川门禁|exact||太川门禁 有個租客退租，門禁卡要停用，點操作
bg|82.5|bh|-|-||會議室的電話會議機沒聲音
bg|171.0|ow|-|-||物业费发票能开专票吗
bg|221.0|hx|-|-||保洁阿姨反映拖把池下水堵了
bg|246.0|hb|-|-||打卡机显示时间慢了五分钟
bg|284.0|hd|-|-||新来的同事工牌什么时候能做好
"""


def parse():
    rows = []
    for line in DATA.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split("|")
        if len(parts) != 7:
            raise SystemExit("bad line (need 7 fields): " + line)
        label, minute, who, system, naming, title, text = parts
        if label.startswith("n:"):
            kind, scen, near = 1, None, label[2:]
        elif label.startswith("B"):
            kind, scen, near = 0, label, None
        else:
            kind, scen, near = 2, None, None
        rows.append({
            "label": label, "kind": kind, "scenario": scen, "nearmiss_of": near,
            "minute": float(minute), "who": who,
            "system": None if system == "-" else system,
            "naming": naming, "title": title, "text": text,
        })
    return rows


def build():
    """Return the records in output order; each carries the hand tags 'label' and 'naming' too."""
    rows = parse()
    rows.sort(key=lambda r: (r["minute"], r["kind"]))  # stable: ties keep file order within a kind
    counters = {code: 101 for code in REGIONS}
    owner_no = 1
    out = []
    for i, r in enumerate(rows, 1):
        if r["who"] == "ow":
            reporter, kind, region = "ow-%03d" % owner_no, "owner", None
            owner_no += 1
        else:
            code = r["who"]
            reporter, kind, region = "r-%s-%d" % (code, counters[code]), "staff", REGIONS[code]
            counters[code] += 1
        out.append({
            "id": "b%03d" % i,
            "scenario": r["scenario"],
            "nearmiss_of": r["nearmiss_of"],
            "minute": r["minute"],
            "region": region,
            "reporter": reporter,
            "reporter_kind": kind,
            "system": r["system"],
            "title": r["title"],
            "text": r["text"],
            "_label": r["label"],
            "_naming": r["naming"],
        })
    return out


def public(rec):
    return {k: v for k, v in rec.items() if not k.startswith("_")}


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    recs = build()
    path = os.path.join(here, "outages22.jsonl")
    with open(path, "w", encoding="utf-8") as f:
        for r in recs:
            f.write(json.dumps(public(r), ensure_ascii=False) + "\n")
    # summary of the hand tags
    from collections import Counter
    scen = [r for r in recs if r["scenario"]]
    print("wrote %s: %d reports" % (path, len(recs)))
    print("scenario naming:", dict(Counter(r["_naming"] for r in scen)))
    print("all naming:", dict(Counter(r["_naming"] for r in recs)))


if __name__ == "__main__":
    main()
