<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>ActionDialog</name>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Not saved: something went wrong (see the log).</source>
        <translation>未保存：出了点问题（详见日志）。</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <source>Points supermarket counter</source>
        <translation>积分超市柜台</translation>
    </message>
    <message>
        <source>Cannot start</source>
        <translation>无法启动</translation>
    </message>
</context>
<context>
    <name>BackupPassphraseDialog</name>
    <message>
        <source>Backup passphrase</source>
        <translation>备份口令</translation>
    </message>
    <message>
        <source>Backups are encrypted with this passphrase. Keep it at the community office: without it no backup can be restored. Backups made before a change still need the old passphrase.</source>
        <translation>备份用这个口令加密。请交社区办公室保管：没有它，任何备份都无法恢复。修改口令之前做的备份仍需用旧口令恢复。</translation>
    </message>
    <message>
        <source>New passphrase</source>
        <translation>新口令</translation>
    </message>
    <message>
        <source>Once more</source>
        <translation>再输入一次</translation>
    </message>
    <message>
        <source>Too short: at least 8 characters</source>
        <translation>太短：至少 8 个字符</translation>
    </message>
    <message>
        <source>Weak: easy to guess</source>
        <translation>弱：容易被猜到</translation>
    </message>
    <message>
        <source>Fair: longer, or mix digits, letters and Chinese characters</source>
        <translation>中：再长一些，或混用数字、字母和汉字</translation>
    </message>
    <message>
        <source>Strong</source>
        <translation>强</translation>
    </message>
    <message>
        <source>; the two entries differ</source>
        <translation>；两次输入不一致</translation>
    </message>
    <message>
        <source>This PC has no usable system keyring: the passphrase was NOT saved. Timed and day-close backups will not run; make backups with &apos;counter-app backup --run&apos;, which asks for the passphrase.</source>
        <translation>这台电脑没有可用的系统密钥环：口令没有保存。定时备份和日结后备份不会进行；请用“counter-app backup --run”备份，它会询问口令。</translation>
    </message>
</context>
<context>
    <name>BlockDialog</name>
    <message>
        <source>Block member</source>
        <translation>停用会员</translation>
    </message>
    <message>
        <source>Unblock member</source>
        <translation>恢复会员</translation>
    </message>
    <message>
        <source>Block</source>
        <translation>停用</translation>
    </message>
    <message>
        <source>Unblock</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>Block %1? The member can no longer redeem or earn points.</source>
        <translation>确定停用%1吗？停用后不能再兑换，也不能获得积分。</translation>
    </message>
    <message>
        <source>Unblock %1? The member can redeem again.</source>
        <translation>确定恢复%1吗？恢复后可以重新兑换。</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Please give a reason.</source>
        <translation>请填写原因。</translation>
    </message>
</context>
<context>
    <name>CartModel</name>
    <message>
        <source>Item</source>
        <translation>物品</translation>
    </message>
    <message>
        <source>Qty</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Points each</source>
        <translation>单价</translation>
    </message>
    <message>
        <source>Points</source>
        <translation>小计</translation>
    </message>
</context>
<context>
    <name>CounterPage</name>
    <message>
        <source>Scan the card, or type card no. / phone (or last 4) / name / pinyin initials</source>
        <translation>请刷会员卡，或输入卡号 / 手机号（或后4位）/ 姓名 / 拼音首字母</translation>
    </message>
    <message>
        <source>Redeem (F9)</source>
        <translation>兑换 (F9)</translation>
    </message>
    <message>
        <source>Less (-)</source>
        <translation>减少 (-)</translation>
    </message>
    <message>
        <source>More (+)</source>
        <translation>增加 (+)</translation>
    </message>
    <message>
        <source>Cancel (Esc)</source>
        <translation>取消 (Esc)</translation>
    </message>
    <message>
        <source>Reprint (F5)</source>
        <translation>补打小票 (F5)</translation>
    </message>
    <message>
        <source>Void (F8)</source>
        <translation>作废 (F8)</translation>
    </message>
    <message>
        <source>Choose one of them with ↑/↓ first, then press Enter.</source>
        <translation>请先用 ↑/↓ 选中其中一位，再按回车。</translation>
    </message>
    <message>
        <source>Voucher %1 is valid: mark it used when the merchant hands over the offer</source>
        <translation>优惠券 %1 有效：商家兑现优惠后请点“核销”</translation>
    </message>
    <message>
        <source>Mark voucher %1 as used? This cannot be undone.</source>
        <translation>确定核销优惠券 %1 吗？核销后不能撤回。</translation>
    </message>
    <message>
        <source>Voucher %1 marked used</source>
        <translation>优惠券 %1 已核销</translation>
    </message>
    <message>
        <source>Redeeming, please wait…</source>
        <translation>正在兑换，请稍候…</translation>
    </message>
    <message>
        <source>The cart still holds %1 item(s) for %2.
Switch to %3? (Yes empties the cart.)</source>
        <translation>购物车里还有 %1 件给 %2 的物品。
换成 %3 吗？
选“是”会清空购物车，选“否”保留购物车。</translation>
    </message>
    <message>
        <source>Still serving %1; the cart is kept.</source>
        <translation>仍在为 %1 兑换，购物车保留。</translation>
    </message>
    <message>
        <source>This member is blocked and cannot redeem.</source>
        <translation>该会员已停用，不能兑换。</translation>
    </message>
    <message>
        <source>Member: %1, %2 points</source>
        <translation>会员：%1，%2 分</translation>
    </message>
    <message>
        <source>Please scan the member card first.</source>
        <translation>请先刷会员卡。</translation>
    </message>
    <message>
        <source>Added: %1</source>
        <translation>已添加：%1</translation>
    </message>
    <message>
        <source>Total: %1 points</source>
        <translation>合计：%1 分</translation>
    </message>
    <message>
        <source>Total: %1 points · balance %2 → %3</source>
        <translation>合计：%1 分 · 余额 %2 → %3</translation>
    </message>
    <message>
        <source>Cart cleared.</source>
        <translation>已清空兑换清单。</translation>
    </message>
    <message>
        <source>Nothing to redeem yet.</source>
        <translation>还没有选择要兑换的物品。</translation>
    </message>
    <message>
        <source>Redeem %1 item(s) for %2?
Total %3 points; balance %4 → %5.

Press Enter to confirm, Esc to go back.</source>
        <translation>为%2兑换 %1 件物品？
合计 %3 分，余额 %4 → %5。

按回车键确认，按 Esc 返回。</translation>
    </message>
    <message>
        <source>The cart changed while you were confirming. Please check it and redeem again.</source>
        <translation>确认期间兑换清单有变化，请核对后重新兑换。</translation>
    </message>
    <message>
        <source>Redeeming…</source>
        <translation>正在兑换…</translation>
    </message>
    <message>
        <source>Confirm</source>
        <translation>确认</translation>
    </message>
    <message>
        <source>Another member?</source>
        <translation>换一位会员？</translation>
    </message>
    <message>
        <source>Done: receipt %1, %2 points. Balance now %3.</source>
        <translation>兑换成功：小票 %1，%2 分。现在余额 %3 分。</translation>
    </message>
    <message>
        <source>Receipt %1 is voided, but the void slip could not be printed. Press F5 to try again.</source>
        <translation>小票 %1 已撤销，但撤销单没有打印出来。请按 F5 重新打印。</translation>
    </message>
    <message>
        <source>The reprint of receipt %1 could not be printed. Press F5 to try again.</source>
        <translation>小票 %1 补打没有打印出来。请按 F5 再试一次。</translation>
    </message>
    <message>
        <source>Redeemed (receipt %1), but the receipt could not be printed. Press F5 to try again.</source>
        <translation>已兑换（小票 %1），但小票没有打印出来。请按 F5 重新打印。</translation>
    </message>
    <message>
        <source>No receipt to reprint yet.</source>
        <translation>还没有可以补打的小票。</translation>
    </message>
    <message>
        <source>Reprinting receipt %1.</source>
        <translation>正在补打小票 %1。</translation>
    </message>
    <message>
        <source>Receipt %1 voided: %2 points returned.</source>
        <translation>小票 %1 已作废，%2 分已退回。</translation>
    </message>
    <message>
        <source>Redeem</source>
        <translation>兑换</translation>
    </message>
</context>
<context>
    <name>CounterSession</name>
    <message>
        <source>The database could not be opened: %1</source>
        <translation>数据库无法打开：%1</translation>
    </message>
    <message>
        <source>Scan ignored: please finish the open dialog first.</source>
        <translation>扫码未处理：请先完成当前对话框。</translation>
    </message>
    <message>
        <source>Scanner settings are not valid</source>
        <translation>扫码枪设置有误</translation>
    </message>
    <message>
        <source>Scanner settings are not valid: an administrator can fix them (Ctrl+Shift+D).</source>
        <translation>扫码枪设置无效：请管理员修改 (Ctrl+Shift+D)。</translation>
    </message>
    <message>
        <source>Only an administrator can change device settings.</source>
        <translation>只有管理员可以修改设备设置。</translation>
    </message>
</context>
<context>
    <name>DashboardPage</name>
    <message>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <source>Refresh (F5)</source>
        <translation>刷新 (F5)</translation>
    </message>
    <message>
        <source>Redemptions today</source>
        <translation>今日兑换笔数</translation>
    </message>
    <message>
        <source>Points redeemed today</source>
        <translation>今日兑出积分</translation>
    </message>
    <message>
        <source>Points awarded today</source>
        <translation>今日发放积分</translation>
    </message>
    <message>
        <source>Goods running low</source>
        <translation>库存不足的物品</translation>
    </message>
    <message>
        <source>Points earned and redeemed per week</source>
        <translation>每周获得和兑出的积分</translation>
    </message>
    <message>
        <source>No points earned or redeemed in these weeks.</source>
        <translation>这几周没有获得或兑出积分。</translation>
    </message>
    <message>
        <source>Nothing is running low.</source>
        <translation>没有库存不足的物品。</translation>
    </message>
    <message>
        <source>Loading the figures…</source>
        <translation>正在读取数据…</translation>
    </message>
    <message>
        <source>see the log file</source>
        <translation>详见日志文件</translation>
    </message>
    <message>
        <source>Could not load the figures (%1). Press F5 to try again.</source>
        <translation>无法读取数据（%1）。请按 F5 重试。</translation>
    </message>
    <message>
        <source>Today, %1</source>
        <translation>今天：%1</translation>
    </message>
    <message>
        <source>Updated %1</source>
        <translation>%1 更新</translation>
    </message>
    <message>
        <source>Goods with %1 or fewer left</source>
        <translation>库存不多于 %1 的物品</translation>
    </message>
    <message>
        <source>M/d</source>
        <translation>M月d日</translation>
    </message>
    <message>
        <source>Week %1 – %2
Earned: %3 points
Redeemed: %4 points</source>
        <translation>%1 – %2 这一周
获得：%3 分
兑出：%4 分</translation>
    </message>
    <message>
        <source>Earned</source>
        <translation>获得</translation>
    </message>
    <message>
        <source>Redeemed</source>
        <translation>兑出</translation>
    </message>
    <message>
        <source>Points earned and redeemed per week (last %1 weeks)</source>
        <translation>每周获得和兑出的积分（最近 %1 周）</translation>
    </message>
    <message>
        <source>This week (from %1, shaded): earned %2 points, redeemed %3 points.</source>
        <translation>本周（%1起，浅黄底色）：获得 %2 分，兑出 %3 分。</translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation>看板</translation>
    </message>
</context>
<context>
    <name>DayHooks</name>
    <message>
        <source>The counter day is open. Have a good day!</source>
        <translation>今天的营业已开始，祝您顺利！</translation>
    </message>
</context>
<context>
    <name>DeviceSettingsDialog</name>
    <message>
        <source>Device settings</source>
        <translation>设备设置</translation>
    </message>
    <message>
        <source>Scanner</source>
        <translation>扫码枪</translation>
    </message>
    <message>
        <source>Receipt printer</source>
        <translation>小票打印机</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Could not save the settings: %1</source>
        <translation>无法保存设置：%1</translation>
    </message>
</context>
<context>
    <name>DistrictSettingsBox</name>
    <message>
        <source>District sync</source>
        <translation>街道同步</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>服务器地址</translation>
    </message>
    <message>
        <source>As in the address</source>
        <translation>按地址中的设置</translation>
    </message>
    <message>
        <source>SSL mode (verify-full in production)</source>
        <translation>SSL 模式（正式使用选 verify-full）</translation>
    </message>
    <message>
        <source>empty: keep the saved password</source>
        <translation>留空：保留已保存的密码</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Nightly sync at</source>
        <translation>每晚同步时间</translation>
    </message>
    <message>
        <source>This counter</source>
        <translation>本柜台</translation>
    </message>
</context>
<context>
    <name>EarningTables</name>
    <message>
        <source>No.|Name|Card|Points|Status|Work unit</source>
        <translation>序号|姓名|卡号|积分|状态|工作单位</translation>
    </message>
    <message>
        <source>Week|Activity|Name|Item|Date|Points|Recorded by|Reviewed at</source>
        <translation>周|活动|姓名|项目|日期|积分|录入人|审核柜台</translation>
    </message>
    <message>
        <source>(no login)</source>
        <translation>（未登录）</translation>
    </message>
    <message>
        <source>any counter (claimed online)</source>
        <translation>任一柜台（联网认领）</translation>
    </message>
    <message>
        <source>always</source>
        <translation>一直有效</translation>
    </message>
    <message>
        <source>Category|Item|Points today|Who may earn|Range|Since|In use</source>
        <translation>类别|项目|今日分值|可获得|范围|起始日期|启用</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>From|Points|Set by|Set at|Note</source>
        <translation>生效日期|分值|设置人|设置时间|说明</translation>
    </message>
    <message>
        <source>No.|Wish|Wished by|By|Status|Claimed by</source>
        <translation>编号|心愿|许愿人|期限|状态|认领人</translation>
    </message>
</context>
<context>
    <name>ErrorDialog</name>
    <message>
        <source>Cannot do that</source>
        <translation>无法完成操作</translation>
    </message>
    <message>
        <source>Something went wrong</source>
        <translation>出错了</translation>
    </message>
    <message>
        <source>Sorry, something went wrong. Nothing was saved half-way.
Please try again; if it happens again, call the staff.
Details were written to the log file.</source>
        <translation>抱歉，出错了，不会留下半截数据。
请再试一次；再出错请找工作人员。
详细情况已写入日志文件。</translation>
    </message>
</context>
<context>
    <name>ExpiryPanel</name>
    <message>
        <source>Points expiry</source>
        <translation>积分过期规则</translation>
    </message>
    <message>
        <source>Points never expire</source>
        <translation>积分不过期</translation>
    </message>
    <message>
        <source>A year&apos;s points expire at the end of the next year</source>
        <translation>当年积分次年年底过期</translation>
    </message>
    <message>
        <source> days before</source>
        <translation> 天前</translation>
    </message>
    <message>
        <source>Tell members</source>
        <translation>提前提醒会员</translation>
    </message>
    <message>
        <source>Save expiry rule</source>
        <translation>保存过期规则</translation>
    </message>
    <message>
        <source>Only an administrator may change the rule</source>
        <translation>只有管理员可以修改过期规则</translation>
    </message>
    <message>
        <source>Saved: members are told %1 days before 31 December</source>
        <translation>已保存：12月31日前 %1 天起提醒会员</translation>
    </message>
    <message>
        <source>Saved: points never expire</source>
        <translation>已保存：积分不过期</translation>
    </message>
</context>
<context>
    <name>FirstRunDialog</name>
    <message>
        <source>Set up this counter</source>
        <translation>设置本机柜台</translation>
    </message>
    <message>
        <source>This database is new. Join the district with what the district office gave you, or set up a counter of its own.</source>
        <translation>这是一个新数据库。请用街道办提供的信息加入街道，或者单独设置一个柜台。</translation>
    </message>
    <message>
        <source>Join the district (recommended; also after a PC was replaced)</source>
        <translation>加入街道（推荐；换了电脑后也选这一项）</translation>
    </message>
    <message>
        <source>Stand-alone counter (no district yet)</source>
        <translation>单机柜台（暂不加入街道）</translation>
    </message>
    <message>
        <source>District</source>
        <translation>街道</translation>
    </message>
    <message>
        <source>District server address</source>
        <translation>街道服务器地址</translation>
    </message>
    <message>
        <source>Counter no. (from the district)</source>
        <translation>柜台编号（街道分配）</translation>
    </message>
    <message>
        <source>Counter password (from the district)</source>
        <translation>柜台密码（街道提供）</translation>
    </message>
    <message>
        <source>First administrator (a new community only)</source>
        <translation>第一位管理员（仅新社区的第一台柜台）</translation>
    </message>
    <message>
        <source>Their PIN (4-8 digits)</source>
        <translation>其 PIN（4–8 位数字）</translation>
    </message>
    <message>
        <source>Stand-alone counter</source>
        <translation>单机柜台</translation>
    </message>
    <message>
        <source>Street</source>
        <translation>街道</translation>
    </message>
    <message>
        <source>e.g. Heping Street</source>
        <translation>例如：和平街道</translation>
    </message>
    <message>
        <source>Community</source>
        <translation>社区</translation>
    </message>
    <message>
        <source>e.g. Xingfu Community</source>
        <translation>例如：幸福社区</translation>
    </message>
    <message>
        <source>Community code (card prefix)</source>
        <translation>社区代码（卡号前缀）</translation>
    </message>
    <message>
        <source>Counter no.</source>
        <translation>柜台编号</translation>
    </message>
    <message>
        <source>Counter name</source>
        <translation>柜台名称</translation>
    </message>
    <message>
        <source>e.g. Points supermarket</source>
        <translation>例如：幸福社区积分超市</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>管理员</translation>
    </message>
    <message>
        <source>Administrator PIN (4-8 digits)</source>
        <translation>管理员 PIN（4 到 8 位数字）</translation>
    </message>
    <message>
        <source>PIN again</source>
        <translation>再输入一次 PIN</translation>
    </message>
    <message>
        <source>Scheme A: 8 categories, 21 items (5/10/15 points)</source>
        <translation>方案A：8类21项（5/10/15分）</translation>
    </message>
    <message>
        <source>Scheme B: 7 categories, 35 items (5/10/20 points)</source>
        <translation>方案B：7类35项（5/10/20分）</translation>
    </message>
    <message>
        <source>None yet (add point items later)</source>
        <translation>暂不装入（以后再添加积分项目）</translation>
    </message>
    <message>
        <source>Point items</source>
        <translation>积分项目</translation>
    </message>
    <message>
        <source>The two PINs differ.</source>
        <translation>两次输入的 PIN 不一致。</translation>
    </message>
    <message>
        <source>Joining the district: fetching the members and balances, this may take a few minutes…</source>
        <translation>正在加入街道：正在下载会员和积分余额，可能需要几分钟…</translation>
    </message>
</context>
<context>
    <name>GeographyDialog</name>
    <message>
        <source>Addresses</source>
        <translation>住址</translation>
    </message>
    <message>
        <source>Compounds</source>
        <translation>小区</translation>
    </message>
    <message>
        <source>Buildings</source>
        <translation>楼栋</translation>
    </message>
    <message>
        <source>Units</source>
        <translation>单元</translation>
    </message>
    <message>
        <source>Households (rooms)</source>
        <translation>住户（门牌）</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>改名</translation>
    </message>
    <message>
        <source>Register %1 at the chosen household</source>
        <translation>把 %1 登记到选中的住户</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>%1 (%2 members)</source>
        <translation>%1（%2 人）</translation>
    </message>
    <message>
        <source>Choose where it belongs first (the list to the left).</source>
        <translation>请先在左边一栏选好它属于哪里。</translation>
    </message>
    <message>
        <source>Added.</source>
        <translation>已添加。</translation>
    </message>
    <message>
        <source>Choose the one to rename first.</source>
        <translation>请先选中要改名的一项。</translation>
    </message>
    <message>
        <source>Renamed.</source>
        <translation>已改名。</translation>
    </message>
    <message>
        <source>Choose the household first.</source>
        <translation>请先选中住户。</translation>
    </message>
    <message>
        <source>The member&apos;s address is saved.</source>
        <translation>会员住址已保存。</translation>
    </message>
</context>
<context>
    <name>HistoryModel</name>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Points</source>
        <translation>积分</translation>
    </message>
    <message>
        <source>Receipt / source</source>
        <translation>小票 / 来源</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Counter</source>
        <translation>柜台</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>操作员</translation>
    </message>
</context>
<context>
    <name>ItemTiles</name>
    <message>
        <source>%1 pts</source>
        <translation>%1 分</translation>
    </message>
    <message>
        <source>%1 %2 left %3</source>
        <translation>%3剩 %1 %2</translation>
    </message>
    <message>
        <source>stock %1</source>
        <translation>库存 %1</translation>
    </message>
    <message>
        <source>out of stock</source>
        <translation>无货</translation>
    </message>
    <message>
        <source>this week</source>
        <translation>本周</translation>
    </message>
    <message>
        <source>this month</source>
        <translation>本月</translation>
    </message>
    <message>
        <source>this quarter</source>
        <translation>本季度</translation>
    </message>
    <message>
        <source>this year</source>
        <translation>今年</translation>
    </message>
    <message>
        <source>All gone</source>
        <translation>已兑完</translation>
    </message>
</context>
<context>
    <name>ItemsPage</name>
    <message>
        <source>Point items</source>
        <translation>积分项目</translation>
    </message>
    <message>
        <source>Why the value changes</source>
        <translation>调整说明</translation>
    </message>
    <message>
        <source>New value</source>
        <translation>新分值</translation>
    </message>
    <message>
        <source>in force from</source>
        <translation>生效日期</translation>
    </message>
    <message>
        <source>Set value</source>
        <translation>保存分值</translation>
    </message>
    <message>
        <source>Install scheme A (8 categories, 21 items)</source>
        <translation>装入方案A（8类21项）</translation>
    </message>
    <message>
        <source>Install scheme B (7 categories, 35 items)</source>
        <translation>装入方案B（7类35项）</translation>
    </message>
    <message>
        <source>Values of the selected item, newest first</source>
        <translation>所选项目的分值记录（新的在前）</translation>
    </message>
    <message>
        <source>Select an item first</source>
        <translation>请先选择一个积分项目</translation>
    </message>
    <message>
        <source>%1: new value saved</source>
        <translation>%1：新分值已保存</translation>
    </message>
</context>
<context>
    <name>JournalKind</name>
    <message>
        <source>Points earned</source>
        <translation>获得积分</translation>
    </message>
    <message>
        <source>Redeemed</source>
        <translation>兑换</translation>
    </message>
    <message>
        <source>Undone / corrected</source>
        <translation>撤销（更正）</translation>
    </message>
    <message>
        <source>Adjusted</source>
        <translation>调整</translation>
    </message>
    <message>
        <source>Expired</source>
        <translation>过期</translation>
    </message>
</context>
<context>
    <name>KioskWindow</name>
    <message>
        <source>Points self-service</source>
        <translation>积分自助查询</translation>
    </message>
    <message>
        <source>Staff</source>
        <translation>工作人员</translation>
    </message>
    <message>
        <source>%1 · Points supermarket</source>
        <translation>%1 · 积分超市</translation>
    </message>
    <message>
        <source>Please scan your member card</source>
        <translation>请扫描您的会员卡</translation>
    </message>
    <message>
        <source>Hold the barcode of the card under the scanner: you will see your points, what you earned and redeemed, and what you can redeem now.</source>
        <translation>把会员卡的条码对准扫描枪：可以看到您的积分、最近获得和兑换的记录，以及现在能兑换的物品。</translation>
    </message>
    <message>
        <source>Your points now</source>
        <translation>您现在的积分</translation>
    </message>
    <message>
        <source>You can redeem now</source>
        <translation>现在可以兑换</translation>
    </message>
    <message>
        <source>A few points more</source>
        <translation>再攒一点就能兑换</translation>
    </message>
    <message>
        <source>Recently earned</source>
        <translation>最近获得</translation>
    </message>
    <message>
        <source>Recently redeemed</source>
        <translation>最近兑换</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>看好了</translation>
    </message>
    <message>
        <source>Card ending %1</source>
        <translation>卡号尾号 %1</translation>
    </message>
    <message>
        <source>%1 points</source>
        <translation>%1 积分</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>%1  %2 points</source>
        <translation>%1&#x3000;%2 分</translation>
    </message>
    <message>
        <source>%1  %2 points, %3 more to go</source>
        <translation>%1&#x3000;%2 分，还差 %3 分</translation>
    </message>
    <message>
        <source>Back to the welcome screen in %1 s</source>
        <translation>%1 秒后回到欢迎页</translation>
    </message>
</context>
<context>
    <name>LeaveKioskDialog</name>
    <message>
        <source>Leave the kiosk</source>
        <translation>退出自助查询</translation>
    </message>
    <message>
        <source>Staff only: an administrator&apos;s PIN ends the kiosk.</source>
        <translation>仅限工作人员：输入管理员 PIN 才能退出自助查询。</translation>
    </message>
    <message>
        <source>Back to the kiosk</source>
        <translation>返回自助查询</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>管理员</translation>
    </message>
    <message>
        <source>No administrator is set up on this counter.</source>
        <translation>本柜台还没有管理员。</translation>
    </message>
    <message>
        <source>Please type your PIN.</source>
        <translation>请输入 PIN。</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>正在核对…</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Log in — Points supermarket counter</source>
        <translation>登录 — 积分超市柜台</translation>
    </message>
    <message>
        <source>Last sync with the district: %1</source>
        <translation>上次与街道服务器同步：%1</translation>
    </message>
    <message>
        <source>never</source>
        <translation>从未同步</translation>
    </message>
    <message>
        <source>1. Who are you?</source>
        <translation>1. 请选择您的名字</translation>
    </message>
    <message>
        <source>2. Type your PIN, then press Enter</source>
        <translation>2. 输入 PIN 码，再按回车键</translation>
    </message>
    <message>
        <source>Please choose your name first.</source>
        <translation>请先选择您的名字。</translation>
    </message>
    <message>
        <source>Please type your PIN.</source>
        <translation>请输入 PIN 码。</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>正在核对…</translation>
    </message>
</context>
<context>
    <name>LowStockModel</name>
    <message>
        <source>Item</source>
        <translation>物品</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>In stock</source>
        <translation>库存</translation>
    </message>
    <message>
        <source>None left</source>
        <translation>无货</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1%2</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Settings (F11)</source>
        <translation>设置 (F11)</translation>
    </message>
    <message>
        <source>Log out (F12)</source>
        <translation>退出登录 (F12)</translation>
    </message>
</context>
<context>
    <name>MemberChanges</name>
    <message>
        <source>%1 is blocked.</source>
        <translation>%1已停用。</translation>
    </message>
    <message>
        <source>%1 is unblocked.</source>
        <translation>%1已恢复。</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
    <message>
        <source>Registered %1. Card no. %2</source>
        <translation>已登记%1，卡号 %2</translation>
    </message>
    <message>
        <source>Give %1 a new card?

The old card %2 will stop working at once.</source>
        <translation>给%1换一张新卡吗？

旧卡 %2 会立即停用。</translation>
    </message>
    <message>
        <source>New card no. %1 — the old card %2 is blocked.</source>
        <translation>新卡号 %1，旧卡 %2 已停用。</translation>
    </message>
</context>
<context>
    <name>MemberChoice</name>
    <message>
        <source>1 member found: press Enter to take them.</source>
        <translation>找到 1 位会员，按回车选择</translation>
    </message>
    <message>
        <source>At least %1 members match — only the first %1 are shown: type more (the given name, or the phone&apos;s last 4 digits).</source>
        <translation>至少有 %1 位会员相符，只列出前 %1 位：请多输入几个字（名字，或手机后四位）。</translation>
    </message>
    <message>
        <source>%1 members found: choose one with ↑/↓, then press Enter.</source>
        <translation>找到 %1 位会员，请用 ↑/↓ 选择后按回车</translation>
    </message>
</context>
<context>
    <name>MemberDetails</name>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Card no.</source>
        <translation>卡号</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>手机</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <source>Work unit</source>
        <translation>工作单位</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Old cards</source>
        <translation>旧卡</translation>
    </message>
    <message>
        <source>%1 points</source>
        <translation>%1 分</translation>
    </message>
    <message>
        <source>Blocked</source>
        <translation>停用</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>No member selected</source>
        <translation>未选择会员</translation>
    </message>
</context>
<context>
    <name>MemberEditDialog</name>
    <message>
        <source>Edit member</source>
        <translation>修改会员信息</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Mobile phone</source>
        <translation>手机号</translation>
    </message>
    <message>
        <source>11 digits, or empty</source>
        <translation>11 位数字，可以不填</translation>
    </message>
</context>
<context>
    <name>MemberExports</name>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>Nothing to export.</source>
        <translation>没有可以导出的内容。</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>正在导出…</translation>
    </message>
    <message>
        <source>Exported %1 rows to %2</source>
        <translation>已导出 %1 行到 %2</translation>
    </message>
    <message>
        <source>Could not save the file: %1</source>
        <translation>无法保存文件：%1</translation>
    </message>
    <message>
        <source>Export history</source>
        <translation>导出积分记录</translation>
    </message>
    <message>
        <source>Export member list</source>
        <translation>导出会员名单</translation>
    </message>
</context>
<context>
    <name>MemberHistoryPanel</name>
    <message>
        <source>All kinds</source>
        <translation>全部类型</translation>
    </message>
    <message>
        <source>Dates</source>
        <translation>按日期</translation>
    </message>
    <message>
        <source>History</source>
        <translation>积分记录</translation>
    </message>
    <message>
        <source>Export (Ctrl+S)…</source>
        <translation>导出 (Ctrl+S)…</translation>
    </message>
    <message>
        <source>Find a member above to see their details and points history.</source>
        <translation>在上方查找会员，就能看到会员信息和积分记录。</translation>
    </message>
    <message>
        <source>The start date is after the end date.</source>
        <translation>开始日期晚于结束日期。</translation>
    </message>
    <message>
        <source>No entries for this choice.</source>
        <translation>没有符合条件的记录。</translation>
    </message>
    <message>
        <source>%1 entries: +%2 points in, −%3 points out.</source>
        <translation>共 %1 条记录：获得 +%2 分，支出 −%3 分。</translation>
    </message>
    <message>
        <source>Only the newest %1 are shown; choose dates to see older ones.</source>
        <translation>只显示最新的 %1 条；要看更早的记录，请按日期查询。</translation>
    </message>
</context>
<context>
    <name>MemberPanel</name>
    <message>
        <source>Recent points</source>
        <translation>最近积分记录</translation>
    </message>
    <message>
        <source>No member yet</source>
        <translation>还没有选择会员</translation>
    </message>
    <message>
        <source>Scan the member card, or type a phone number, a name or pinyin initials above.</source>
        <translation>请刷会员卡，或在上方输入手机号、姓名或拼音首字母。</translation>
    </message>
    <message>
        <source> (blocked)</source>
        <translation>（已停用）</translation>
    </message>
    <message>
        <source>Works at: %1</source>
        <translation>工作单位：%1</translation>
    </message>
    <message>
        <source>Phone: %1</source>
        <translation>手机：%1</translation>
    </message>
    <message>
        <source>%1 points</source>
        <translation>%1 分</translation>
    </message>
    <message>
        <source>%1: %2 so far %3, %4 in the cart, limit %5</source>
        <translation>%1：%3已兑 %2，购物车里 %4，限 %5</translation>
    </message>
    <message>
        <source>%1: %2 so far %3, limit %4</source>
        <translation>%1：%3已兑 %2，限 %4</translation>
    </message>
    <message>
        <source>No limited item used this period.</source>
        <translation>本期还没有兑换限兑物品</translation>
    </message>
</context>
<context>
    <name>MemberRegisterDialog</name>
    <message>
        <source>New member</source>
        <translation>登记新会员</translation>
    </message>
    <message>
        <source>Register</source>
        <translation>登记</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Mobile phone</source>
        <translation>手机号</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <source>(not set)</source>
        <translation>（不选）</translation>
    </message>
    <message>
        <source>Residential compound</source>
        <translation>小区</translation>
    </message>
    <message>
        <source>Work unit</source>
        <translation>工作单位</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Required for party members in service</source>
        <translation>在职党员必填</translation>
    </message>
    <message>
        <source>Optional</source>
        <translation>选填</translation>
    </message>
    <message>
        <source>For organisations and merchants</source>
        <translation>驻区单位和商家填写</translation>
    </message>
    <message>
        <source>Optional (residents: choose the compound)</source>
        <translation>选填（居民请选择小区）</translation>
    </message>
</context>
<context>
    <name>MemberResultsModel</name>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Card</source>
        <translation>卡号</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>手机</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Points</source>
        <translation>积分</translation>
    </message>
    <message>
        <source> (blocked)</source>
        <translation>（已停用）</translation>
    </message>
</context>
<context>
    <name>MembersPage</name>
    <message>
        <source>Find a member: card no. / phone (or last 4) / name / pinyin initials</source>
        <translation>查找会员：卡号 / 手机号（或后4位）/ 姓名 / 拼音首字母</translation>
    </message>
    <message>
        <source>Type above to find a member.</source>
        <translation>请在上方输入，查找会员。</translation>
    </message>
    <message>
        <source>New member (Ctrl+N)</source>
        <translation>登记新会员 (Ctrl+N)</translation>
    </message>
    <message>
        <source>Export list…</source>
        <translation>导出名单…</translation>
    </message>
    <message>
        <source>Edit name / phone (Ctrl+E)</source>
        <translation>修改姓名 / 手机 (Ctrl+E)</translation>
    </message>
    <message>
        <source>New card…</source>
        <translation>换新卡…</translation>
    </message>
    <message>
        <source>Block…</source>
        <translation>停用…</translation>
    </message>
    <message>
        <source>Addresses…</source>
        <translation>住址…</translation>
    </message>
    <message>
        <source>Only reviewers and administrators can change members.</source>
        <translation>只有审核员和管理员可以修改会员信息。</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>会员</translation>
    </message>
    <message>
        <source>Unblock…</source>
        <translation>恢复…</translation>
    </message>
    <message>
        <source>No member found for “%1”.</source>
        <translation>没有找到“%1”对应的会员。</translation>
    </message>
    <message>
        <source>Card %1 is blocked; %2&apos;s card now is %3.</source>
        <translation>卡 %1 已停用；%2现在的卡号是 %3。</translation>
    </message>
    <message>
        <source>Confirm</source>
        <translation>确认</translation>
    </message>
</context>
<context>
    <name>NewDatabase</name>
    <message>
        <source>Create a new counter database at %1?</source>
        <translation>要在 %1 新建一个柜台数据库吗？</translation>
    </message>
    <message>
        <source>New database</source>
        <translation>新建数据库</translation>
    </message>
</context>
<context>
    <name>NewItemDialog</name>
    <message>
        <source>New item</source>
        <translation>新建物品</translation>
    </message>
    <message>
        <source>No item has the barcode %1 yet. Create it:</source>
        <translation>还没有物品使用条码 %1。新建一件：</translation>
    </message>
    <message>
        <source>A new item:</source>
        <translation>新建一件物品：</translation>
    </message>
    <message>
        <source>Goods</source>
        <translation>实物</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>服务</translation>
    </message>
    <message>
        <source>Merchant offer</source>
        <translation>商家优惠</translation>
    </message>
    <message>
        <source>piece</source>
        <translation>件</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Merchant</source>
        <translation>商家</translation>
    </message>
    <message>
        <source>Barcode</source>
        <translation>条码</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Points</source>
        <translation>积分</translation>
    </message>
    <message>
        <source>Low-stock alert at</source>
        <translation>低库存提醒线</translation>
    </message>
</context>
<context>
    <name>ObjectionsModel</name>
    <message>
        <source>Award</source>
        <translation>积分记录</translation>
    </message>
    <message>
        <source>Member</source>
        <translation>会员</translation>
    </message>
    <message>
        <source>Points</source>
        <translation>积分</translation>
    </message>
    <message>
        <source>Raised by</source>
        <translation>提出人</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>理由</translation>
    </message>
    <message>
        <source>Counter</source>
        <translation>柜台</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>处理结果</translation>
    </message>
    <message>
        <source>open</source>
        <translation>待处理</translation>
    </message>
    <message>
        <source>upheld</source>
        <translation>已采纳</translation>
    </message>
    <message>
        <source>dismissed</source>
        <translation>未采纳</translation>
    </message>
</context>
<context>
    <name>PinPad</name>
    <message>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>退格</translation>
    </message>
    <message>
        <source>Log in</source>
        <translation>登录</translation>
    </message>
</context>
<context>
    <name>PrinterTab</name>
    <message>
        <source>PDF file (opened for printing)</source>
        <translation>PDF 文件（打开后打印）</translation>
    </message>
    <message>
        <source>Thermal receipt printer (ESC/POS)</source>
        <translation>热敏小票打印机（ESC/POS）</translation>
    </message>
    <message>
        <source>Printer installed in the system</source>
        <translation>系统里安装的打印机</translation>
    </message>
    <message>
        <source>Print receipts to</source>
        <translation>小票打印到</translation>
    </message>
    <message>
        <source>58 mm</source>
        <translation>58 毫米</translation>
    </message>
    <message>
        <source>80 mm</source>
        <translation>80 毫米</translation>
    </message>
    <message>
        <source>Paper width</source>
        <translation>纸宽</translation>
    </message>
    <message>
        <source>(no footer)</source>
        <translation>（无页脚）</translation>
    </message>
    <message>
        <source>Footer</source>
        <translation>页脚</translation>
    </message>
    <message>
        <source>PDF file</source>
        <translation>PDF 文件</translation>
    </message>
    <message>
        <source>Open each receipt in the PDF viewer</source>
        <translation>每张小票都用 PDF 阅读器打开</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <source>Thermal receipt printer</source>
        <translation>热敏小票打印机</translation>
    </message>
    <message>
        <source>Device or file path</source>
        <translation>设备或文件路径</translation>
    </message>
    <message>
        <source>Serial port</source>
        <translation>串口</translation>
    </message>
    <message>
        <source>Network (IP address)</source>
        <translation>网络（IP 地址）</translation>
    </message>
    <message>
        <source>USB (needs pyusb)</source>
        <translation>USB（需要 pyusb）</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>连接方式</translation>
    </message>
    <message>
        <source>Path</source>
        <translation>路径</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>端口</translation>
    </message>
    <message>
        <source>Baud</source>
        <translation>波特率</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>主机</translation>
    </message>
    <message>
        <source>TCP port</source>
        <translation>TCP 端口</translation>
    </message>
    <message>
        <source>Vendor ID</source>
        <translation>厂商 ID</translation>
    </message>
    <message>
        <source>Product ID</source>
        <translation>产品 ID</translation>
    </message>
    <message>
        <source>The default printer</source>
        <translation>默认打印机</translation>
    </message>
    <message>
        <source>Receipt roll (paper width above)</source>
        <translation>小票卷纸（纸宽见上）</translation>
    </message>
    <message>
        <source>A4 sheet</source>
        <translation>A4 纸</translation>
    </message>
    <message>
        <source>Show the print dialog for every receipt</source>
        <translation>每张小票都先显示打印对话框</translation>
    </message>
    <message>
        <source>Printer</source>
        <translation>打印机</translation>
    </message>
    <message>
        <source>Paper</source>
        <translation>纸张</translation>
    </message>
    <message>
        <source>The baud rate must be a number, e.g. 9600.</source>
        <translation>波特率必须是数字，例如 9600。</translation>
    </message>
</context>
<context>
    <name>ProblemsModel</name>
    <message>
        <source>Row</source>
        <translation>行</translation>
    </message>
    <message>
        <source>Column</source>
        <translation>列</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>header</source>
        <translation>表头</translation>
    </message>
</context>
<context>
    <name>ReceiptOutput</name>
    <message>
        <source>Receipt not printed</source>
        <translation>小票未打印</translation>
    </message>
</context>
<context>
    <name>RecordPage</name>
    <message>
        <source>Record points</source>
        <translation>记录积分</translation>
    </message>
    <message>
        <source>Choose the point item</source>
        <translation>请选择积分项目</translation>
    </message>
    <message>
        <source>value in force</source>
        <translation>按当日分值</translation>
    </message>
    <message>
        <source>Point item</source>
        <translation>积分项目</translation>
    </message>
    <message>
        <source>Activity date</source>
        <translation>活动日期</translation>
    </message>
    <message>
        <source>Points</source>
        <translation>分值</translation>
    </message>
    <message>
        <source>Activity</source>
        <translation>活动</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>地点</translation>
    </message>
    <message>
        <source>Organiser</source>
        <translation>组织者</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>队伍</translation>
    </message>
    <message>
        <source>Review at any counter (claimed online)</source>
        <translation>交由社区任一柜台审核（审核前联网认领）</translation>
    </message>
    <message>
        <source>Open activity</source>
        <translation>开始活动</translation>
    </message>
    <message>
        <source>Close activity</source>
        <translation>结束活动</translation>
    </message>
    <message>
        <source>Scan or type a card number, then Enter</source>
        <translation>扫卡或输入卡号，按回车</translation>
    </message>
    <message>
        <source>Reason for removing the selected participant</source>
        <translation>移除所选参与者的原因</translation>
    </message>
    <message>
        <source>Remove participant</source>
        <translation>移除参与者</translation>
    </message>
    <message>
        <source>Choose a point item first</source>
        <translation>请先选择积分项目</translation>
    </message>
    <message>
        <source>Activity open: scan the participants&apos; cards</source>
        <translation>活动已开始：请逐个扫参与者的卡</translation>
    </message>
    <message>
        <source>No activity open: a scan records one member&apos;s award for the item and date on the left</source>
        <translation>没有进行中的活动：扫卡即按左边的项目和日期为一位会员记录积分</translation>
    </message>
    <message>
        <source>Activity: %1, %2 — %3 on the list</source>
        <translation>活动：%1，%2 — 名单上 %3 人</translation>
    </message>
    <message>
        <source>%1 added (%2 points, pending review)</source>
        <translation>已登记 %1（%2 分，待审核）</translation>
    </message>
    <message>
        <source>%1: %2 points for %3 recorded, pending review</source>
        <translation>%1：%3 %2 分已记录，待审核</translation>
    </message>
    <message>
        <source>Select a participant on the list first</source>
        <translation>请先在名单上选择一位参与者</translation>
    </message>
    <message>
        <source>Participant removed</source>
        <translation>已移除参与者</translation>
    </message>
</context>
<context>
    <name>ReportsPage</name>
    <message>
        <source>Notices and reports</source>
        <translation>公示与报表</translation>
    </message>
    <message>
        <source>member number or card</source>
        <translation>会员编号或卡号</translation>
    </message>
    <message>
        <source>roster file (.xlsx or .csv)</source>
        <translation>花名册文件（.xlsx 或 .csv）</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>月份</translation>
    </message>
    <message>
        <source>Monthly public notice</source>
        <translation>月度积分公示</translation>
    </message>
    <message>
        <source>Quarter</source>
        <translation>季度</translation>
    </message>
    <message>
        <source>Red/black boards</source>
        <translation>红黑榜</translation>
    </message>
    <message>
        <source>Year</source>
        <translation>年度</translation>
    </message>
    <message>
        <source>Yearly honours and certificates</source>
        <translation>年度评选和荣誉证书</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>期间</translation>
    </message>
    <message>
        <source>Work-unit reports</source>
        <translation>反馈单位报表</translation>
    </message>
    <message>
        <source>Member</source>
        <translation>会员</translation>
    </message>
    <message>
        <source>Points file of the year</source>
        <translation>年度积分档案</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>Check roster</source>
        <translation>检查花名册</translation>
    </message>
    <message>
        <source>Import roster</source>
        <translation>导入花名册</translation>
    </message>
    <message>
        <source>award number</source>
        <translation>积分记录编号</translation>
    </message>
    <message>
        <source>raised by (real name)</source>
        <translation>提出人（实名）</translation>
    </message>
    <message>
        <source>reason</source>
        <translation>异议理由</translation>
    </message>
    <message>
        <source>decision note</source>
        <translation>处理意见</translation>
    </message>
    <message>
        <source>Record objection</source>
        <translation>记录异议</translation>
    </message>
    <message>
        <source>Uphold (reverse the points)</source>
        <translation>采纳（冲回积分）</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>不采纳</translation>
    </message>
    <message>
        <source>Save to folder</source>
        <translation>保存到文件夹</translation>
    </message>
    <message>
        <source>Written: %1</source>
        <translation>已生成：%1</translation>
    </message>
    <message>
        <source>Making the monthly notice…</source>
        <translation>正在生成月度公示…</translation>
    </message>
    <message>
        <source>(%1 members, objections until %2)</source>
        <translation>（%1 名会员，异议截止 %2）</translation>
    </message>
    <message>
        <source>Making the boards…</source>
        <translation>正在生成红黑榜…</translation>
    </message>
    <message>
        <source>Making the honours…</source>
        <translation>正在生成年度评选…</translation>
    </message>
    <message>
        <source>Making the points file…</source>
        <translation>正在生成积分档案…</translation>
    </message>
    <message>
        <source>Making the work-unit reports…</source>
        <translation>正在生成反馈单位报表…</translation>
    </message>
    <message>
        <source>(%1 files)</source>
        <translation>（%1 个文件）</translation>
    </message>
    <message>
        <source>Roster</source>
        <translation>花名册</translation>
    </message>
    <message>
        <source>Rosters (*.xlsx *.csv)</source>
        <translation>花名册 (*.xlsx *.csv)</translation>
    </message>
    <message>
        <source>Checking the roster…</source>
        <translation>正在检查花名册…</translation>
    </message>
    <message>
        <source>Check the roster first</source>
        <translation>请先检查花名册</translation>
    </message>
    <message>
        <source>Importing the roster…</source>
        <translation>正在导入花名册…</translation>
    </message>
    <message>
        <source>Recording the objection…</source>
        <translation>正在记录异议…</translation>
    </message>
    <message>
        <source>Objection recorded.</source>
        <translation>已记录异议。</translation>
    </message>
    <message>
        <source>Select the objection first</source>
        <translation>请先选中一条异议</translation>
    </message>
    <message>
        <source>Deciding the objection…</source>
        <translation>正在处理异议…</translation>
    </message>
    <message>
        <source>Objection decided.</source>
        <translation>异议已处理。</translation>
    </message>
    <message>
        <source>Participation per compound</source>
        <translation>各小区参与情况</translation>
    </message>
    <message>
        <source>Nobody earned points this month</source>
        <translation>本月没有人获得积分</translation>
    </message>
    <message>
        <source>Residents who earned points</source>
        <translation>获得积分的居民</translation>
    </message>
    <message>
        <source>%1: %2 residents, %3 points</source>
        <translation>%1：%2 名居民，%3 分</translation>
    </message>
</context>
<context>
    <name>RestockPage</name>
    <message>
        <source>Restock</source>
        <translation>入库</translation>
    </message>
    <message>
        <source>Community purchase</source>
        <translation>社区采购</translation>
    </message>
    <message>
        <source>Merchant donation</source>
        <translation>商家让利</translation>
    </message>
    <message>
        <source>Allocation from the street</source>
        <translation>街道调拨</translation>
    </message>
    <message>
        <source>Allocation from the district</source>
        <translation>区级调拨</translation>
    </message>
    <message>
        <source>Other (say what in the note)</source>
        <translation>其他（在备注里写明）</translation>
    </message>
    <message>
        <source>Scan a barcode or type a name, then Enter</source>
        <translation>扫条码或输入名称，按回车</translation>
    </message>
    <message>
        <source>No item chosen</source>
        <translation>还没有选物品</translation>
    </message>
    <message>
        <source>Receive</source>
        <translation>入库</translation>
    </message>
    <message>
        <source>Write off</source>
        <translation>报损</translation>
    </message>
    <message>
        <source>Damaged</source>
        <translation>破损</translation>
    </message>
    <message>
        <source>Expired</source>
        <translation>过期</translation>
    </message>
    <message>
        <source>Lost</source>
        <translation>丢失</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Merchant</source>
        <translation>商家</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>物品</translation>
    </message>
    <message>
        <source>Stock now</source>
        <translation>现有库存</translation>
    </message>
    <message>
        <source>Record (Enter)</source>
        <translation>入库（回车）</translation>
    </message>
    <message>
        <source>Goods-received note (PDF)</source>
        <translation>入库单（PDF）</translation>
    </message>
    <message>
        <source>Print goods-received note (receipt printer)</source>
        <translation>打印入库单（小票打印机）</translation>
    </message>
    <message>
        <source> and %1 more</source>
        <translation> 等另外 %1 件</translation>
    </message>
    <message>
        <source>Running low: %1</source>
        <translation>库存不足：%1</translation>
    </message>
    <message>
        <source>No item matches “%1”</source>
        <translation>没有与“%1”相符的物品</translation>
    </message>
    <message>
        <source> — in stock: %1 %2</source>
        <translation> — 现有库存 %1 %2</translation>
    </message>
    <message>
        <source>Item “%1” created</source>
        <translation>已新建物品“%1”</translation>
    </message>
    <message>
        <source>Scan an item first</source>
        <translation>请先扫描物品</translation>
    </message>
    <message>
        <source>Wrote off %1 %2 of %3; in stock now: %4 %2</source>
        <translation>%3 已报损 %1 %2，现有库存 %4 %2</translation>
    </message>
    <message>
        <source>Received %1 %2 of %3; in stock now: %4 %2</source>
        <translation>%3 已入库 %1 %2，现有库存 %4 %2</translation>
    </message>
    <message>
        <source>Nothing received in this session yet</source>
        <translation>本次还没有入库记录</translation>
    </message>
    <message>
        <source>Goods-received note written: %1</source>
        <translation>入库单已保存：%1</translation>
    </message>
    <message>
        <source>Printing…</source>
        <translation>正在打印…</translation>
    </message>
    <message>
        <source>Goods-received note printed</source>
        <translation>入库单已打印</translation>
    </message>
</context>
<context>
    <name>ReviewPage</name>
    <message>
        <source>Weekly review</source>
        <translation>每周审核</translation>
    </message>
    <message>
        <source>Reason for rejecting</source>
        <translation>驳回原因</translation>
    </message>
    <message>
        <source>Approve selected</source>
        <translation>通过所选</translation>
    </message>
    <message>
        <source>Approve the selected week</source>
        <translation>通过所选这一周</translation>
    </message>
    <message>
        <source>Reject selected</source>
        <translation>驳回所选</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>%1 awards pending, %2 points, in %3 groups</source>
        <translation>待审核 %1 条，共 %2 分，%3 组</translation>
    </message>
    <message>
        <source>Points earned per category per month</source>
        <translation>各类别每月获得积分</translation>
    </message>
    <message>
        <source>Review backlog per week</source>
        <translation>每周待审核积分</translation>
    </message>
    <message>
        <source>No approved awards in these months</source>
        <translation>这几个月还没有通过审核的积分</translation>
    </message>
    <message>
        <source>Nothing waiting for review</source>
        <translation>没有待审核的积分</translation>
    </message>
    <message>
        <source>Pending awards</source>
        <translation>待审核</translation>
    </message>
    <message>
        <source>Week of %1: %2 awards, %3 points</source>
        <translation>%1 这一周：%2 条，%3 分</translation>
    </message>
    <message>
        <source>Select an award of the week first</source>
        <translation>请先选择这一周的一条记录</translation>
    </message>
    <message>
        <source>Select the awards first</source>
        <translation>请先选择要审核的记录</translation>
    </message>
    <message>
        <source>Reviewing %1 awards…</source>
        <translation>正在审核 %1 条记录……</translation>
    </message>
    <message>
        <source>%1 awards decided (%2 points)</source>
        <translation>已审核 %1 条（%2 分）</translation>
    </message>
</context>
<context>
    <name>ScanTestBox</name>
    <message>
        <source>Test: scan a card or a barcode now</source>
        <translation>测试：现在扫一张会员卡或一个条码</translation>
    </message>
    <message>
        <source>Scanner</source>
        <translation>扫码枪</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>收到的数据</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>识别结果</translation>
    </message>
    <message>
        <source>Settings not valid: %1</source>
        <translation>设置有误：%1</translation>
    </message>
    <message>
        <source>No serial scanner set up.</source>
        <translation>没有设置串口扫码枪。</translation>
    </message>
    <message>
        <source>Opening…</source>
        <translation>正在打开…</translation>
    </message>
</context>
<context>
    <name>ScannerTab</name>
    <message>
        <source>Serial ports on this computer</source>
        <translation>本机串口</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>端口</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>VID:PID</source>
        <translation>VID:PID</translation>
    </message>
    <message>
        <source>Serial number</source>
        <translation>序列号</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Use the selected port</source>
        <translation>使用选中的端口</translation>
    </message>
    <message>
        <source>Scanner</source>
        <translation>扫码枪</translation>
    </message>
    <message>
        <source>None (keyboard-mode scanner only)</source>
        <translation>不用串口（只用键盘模式扫码枪）</translation>
    </message>
    <message>
        <source>This port</source>
        <translation>指定端口</translation>
    </message>
    <message>
        <source>This USB device, on whichever port</source>
        <translation>指定 USB 设备（插哪个口都行）</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>连接方式</translation>
    </message>
    <message>
        <source>VID</source>
        <translation>VID</translation>
    </message>
    <message>
        <source>PID</source>
        <translation>PID</translation>
    </message>
    <message>
        <source>Serial no.</source>
        <translation>序列号</translation>
    </message>
    <message>
        <source>USB device</source>
        <translation>USB 设备</translation>
    </message>
    <message>
        <source>None</source>
        <translation>无 (N)</translation>
    </message>
    <message>
        <source>Even</source>
        <translation>偶 (E)</translation>
    </message>
    <message>
        <source>Odd</source>
        <translation>奇 (O)</translation>
    </message>
    <message>
        <source>Mark</source>
        <translation>标记 (M)</translation>
    </message>
    <message>
        <source>Space</source>
        <translation>空格 (S)</translation>
    </message>
    <message>
        <source>Baud</source>
        <translation>波特率</translation>
    </message>
    <message>
        <source>Data bits</source>
        <translation>数据位</translation>
    </message>
    <message>
        <source>Parity</source>
        <translation>校验</translation>
    </message>
    <message>
        <source>Stop bits</source>
        <translation>停止位</translation>
    </message>
    <message>
        <source>Line</source>
        <translation>串口参数</translation>
    </message>
    <message>
        <source>CR</source>
        <translation>CR</translation>
    </message>
    <message>
        <source>LF</source>
        <translation>LF</translation>
    </message>
    <message>
        <source>CR LF (accepts CR or LF)</source>
        <translation>CR LF（CR 或 LF 都可以）</translation>
    </message>
    <message>
        <source>e.g. \x02</source>
        <translation>例如 \x02</translation>
    </message>
    <message>
        <source>Prefix</source>
        <translation>前缀</translation>
    </message>
    <message>
        <source>Suffix</source>
        <translation>后缀</translation>
    </message>
    <message>
        <source>End of code</source>
        <translation>结束符</translation>
    </message>
    <message>
        <source>USB VID and PID are 4 hexadecimal digits, e.g. 1A86.</source>
        <translation>USB 的 VID 和 PID 是 4 位十六进制数，例如 1A86。</translation>
    </message>
    <message>
        <source>Prefix and suffix: letters, digits or escapes such as \x02.</source>
        <translation>前缀和后缀只能是字母、数字或 \x02 这样的转义字符。</translation>
    </message>
    <message>
        <source>The baud rate must be a number, e.g. 9600.</source>
        <translation>波特率必须是数字，例如 9600。</translation>
    </message>
    <message>
        <source>To match a USB scanner, fill in its VID/PID or serial number (choose its row above and press “Use the selected port”).</source>
        <translation>按 USB 设备识别扫码枪时，请填写 VID/PID 或序列号（在上面的列表里选中它，再点“使用选中的端口”）。</translation>
    </message>
    <message>
        <source>Choose the scanner&apos;s port.</source>
        <translation>请选择扫码枪的端口。</translation>
    </message>
    <message>
        <source>The scanner settings are not valid: %1</source>
        <translation>扫码枪设置有误：%1</translation>
    </message>
    <message>
        <source>Choose a port in the list first.</source>
        <translation>请先在列表里选择一个端口。</translation>
    </message>
</context>
<context>
    <name>SelfTestDialog</name>
    <message>
        <source>Self-test</source>
        <translation>自检</translation>
    </message>
    <message>
        <source>Checking this counter PC…</source>
        <translation>正在检查这台柜台电脑…</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Standard</source>
        <translation>标准</translation>
    </message>
    <message>
        <source>Large</source>
        <translation>大</translation>
    </message>
    <message>
        <source>Extra large</source>
        <translation>特大</translation>
    </message>
    <message>
        <source>Text size</source>
        <translation>文字大小</translation>
    </message>
    <message>
        <source>Announce redemptions and the balance aloud (Mandarin)</source>
        <translation>语音播报兑换结果和余额（普通话）</translation>
    </message>
    <message>
        <source>Looking for a Mandarin voice…</source>
        <translation>正在查找普通话语音…</translation>
    </message>
    <message>
        <source>Spoken confirmation</source>
        <translation>语音播报</translation>
    </message>
    <message>
        <source>Every day</source>
        <translation>每天都可以兑换</translation>
    </message>
    <message>
        <source>Only the last days of each quarter</source>
        <translation>只在每季度最后几天</translation>
    </message>
    <message>
        <source> days</source>
        <translation> 天</translation>
    </message>
    <message>
        <source>Redemption window</source>
        <translation>兑换时间</translation>
    </message>
    <message>
        <source>Window length</source>
        <translation>兑换天数</translation>
    </message>
    <message>
        <source>e.g. a folder on a USB stick</source>
        <translation>例如 U 盘上的一个文件夹</translation>
    </message>
    <message>
        <source>Backup folder</source>
        <translation>备份文件夹</translation>
    </message>
    <message>
        <source>Daily backup at</source>
        <translation>每天备份时间</translation>
    </message>
    <message>
        <source>Only an administrator can change the redemption window.</source>
        <translation>只有管理员可以修改兑换时间。</translation>
    </message>
    <message>
        <source>Scanner and receipt printer… (Ctrl+Shift+D)</source>
        <translation>扫码枪和小票打印机… (Ctrl+Shift+D)</translation>
    </message>
    <message>
        <source>Backup passphrase…</source>
        <translation>备份口令…</translation>
    </message>
    <message>
        <source>Self-test of this counter PC…</source>
        <translation>柜台电脑自检…</translation>
    </message>
</context>
<context>
    <name>ShiftSummaryDialog</name>
    <message>
        <source>Shift summary</source>
        <translation>交接班小结</translation>
    </message>
    <message>
        <source>Handover from %1: please check the summary</source>
        <translation>%1 交班给您：请核对小结</translation>
    </message>
    <message>
        <source>Your shift, %1: the next volunteer sees this too</source>
        <translation>%1，这是您本班的小结：下一位志愿者也会看到</translation>
    </message>
    <message>
        <source>Print (F5)</source>
        <translation>打印 (F5)</translation>
    </message>
    <message>
        <source>Close the day and print the report</source>
        <translation>日结并打印报表</translation>
    </message>
    <message>
        <source>OK (Enter)</source>
        <translation>确定 (Enter)</translation>
    </message>
    <message>
        <source>Printing…</source>
        <translation>正在打印…</translation>
    </message>
    <message>
        <source>Printed.</source>
        <translation>已打印。</translation>
    </message>
    <message>
        <source>Press again to close today&apos;s counter day</source>
        <translation>再按一次：日结今天</translation>
    </message>
    <message>
        <source>Closing the day fixes today&apos;s report (later redemptions come as a supplement). Press the button again to close it.</source>
        <translation>日结后今天的报表就固定了（之后的兑换会作为补充日结）。确定要日结，请再按一次这个按钮。</translation>
    </message>
    <message>
        <source>Closing the day…</source>
        <translation>正在日结…</translation>
    </message>
    <message>
        <source>The day was closed before: the report is printed again, with what came after it as a supplement.</source>
        <translation>今天已经日结过：重新打印了日结报表，日结之后的兑换等记录附在后面（补充日结）。</translation>
    </message>
    <message>
        <source>The day was already closed (%1, by %2): its report is printed again.</source>
        <translation>今天已经日结过（%1，%2）：重新打印日结报表。</translation>
    </message>
</context>
<context>
    <name>StockItemsPage</name>
    <message>
        <source>Items</source>
        <translation>物品</translation>
    </message>
    <message>
        <source>Merchants and vouchers</source>
        <translation>商家与优惠券</translation>
    </message>
    <message>
        <source>Stock reports</source>
        <translation>库存报表</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Points</source>
        <translation>积分</translation>
    </message>
    <message>
        <source>Stock</source>
        <translation>库存</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>上架</translation>
    </message>
    <message>
        <source>Barcodes, separated by ;</source>
        <translation>条码，多个用 ; 分隔</translation>
    </message>
    <message>
        <source>per week</source>
        <translation>每周</translation>
    </message>
    <message>
        <source>per month</source>
        <translation>每月</translation>
    </message>
    <message>
        <source>per quarter</source>
        <translation>每季度</translation>
    </message>
    <message>
        <source>per year</source>
        <translation>每年</translation>
    </message>
    <message>
        <source>Picture file (optional)</source>
        <translation>图片文件（可不填）</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>Active (shown at the counter)</source>
        <translation>上架（柜台可兑换）</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Barcodes</source>
        <translation>条码</translation>
    </message>
    <message>
        <source>Low-stock alert at</source>
        <translation>低库存提醒线</translation>
    </message>
    <message>
        <source>Capacity</source>
        <translation>服务名额</translation>
    </message>
    <message>
        <source>Capacity period</source>
        <translation>名额周期</translation>
    </message>
    <message>
        <source>Minimum age</source>
        <translation>最低年龄</translation>
    </message>
    <message>
        <source>Picture</source>
        <translation>图片</translation>
    </message>
    <message>
        <source>Since</source>
        <translation>生效时间</translation>
    </message>
    <message>
        <source>Changed by</source>
        <translation>修改人</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>New item</source>
        <translation>新建物品</translation>
    </message>
    <message>
        <source>Export list (.xlsx)</source>
        <translation>导出物品表（.xlsx）</translation>
    </message>
    <message>
        <source>File to import (.xlsx or .csv)</source>
        <translation>要导入的文件（.xlsx 或 .csv）</translation>
    </message>
    <message>
        <source>Import list</source>
        <translation>导入物品表</translation>
    </message>
    <message>
        <source>Price history</source>
        <translation>价格变动记录</translation>
    </message>
    <message>
        <source>Picture of the item</source>
        <translation>物品图片</translation>
    </message>
    <message>
        <source>Pictures (*.png *.jpg *.jpeg *.bmp *.gif)</source>
        <translation>图片 (*.png *.jpg *.jpeg *.bmp *.gif)</translation>
    </message>
    <message>
        <source>Choose an item in the list first</source>
        <translation>请先在列表里选一件物品</translation>
    </message>
    <message>
        <source>Saved “%1”</source>
        <translation>已保存“%1”</translation>
    </message>
    <message>
        <source>Imported: %1</source>
        <translation>已导入：%1</translation>
    </message>
    <message>
        <source>Written: %1</source>
        <translation>已保存：%1</translation>
    </message>
    <message>
        <source>Merchant</source>
        <translation>商家</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Contact</source>
        <translation>联系方式</translation>
    </message>
    <message>
        <source>Register merchant</source>
        <translation>登记商家</translation>
    </message>
    <message>
        <source>Scan or type a voucher code, then Enter</source>
        <translation>扫描或输入优惠券号，按回车查询</translation>
    </message>
    <message>
        <source>Mark used</source>
        <translation>核销</translation>
    </message>
    <message>
        <source>Settlement month</source>
        <translation>结算月份</translation>
    </message>
    <message>
        <source>Monthly settlement (PDF and .xlsx)</source>
        <translation>月度结算（PDF 和 .xlsx）</translation>
    </message>
    <message>
        <source>Merchant “%1” registered</source>
        <translation>已登记商家“%1”</translation>
    </message>
    <message>
        <source>Voucher %1 used: %2 (%3)</source>
        <translation>优惠券 %1 已核销：%2（%3）</translation>
    </message>
</context>
<context>
    <name>StockReportsPanel</name>
    <message>
        <source>Stock reports</source>
        <translation>库存报表</translation>
    </message>
    <message>
        <source>Stock on hand with its value in points, movements of the period by kind and source, donations per merchant.</source>
        <translation>库存及其积分价值、本期按类型和来源的出入库、各商家让利。</translation>
    </message>
    <message>
        <source>This month</source>
        <translation>本月</translation>
    </message>
    <message>
        <source>Last month</source>
        <translation>上月</translation>
    </message>
    <message>
        <source>Chosen dates</source>
        <translation>自选日期</translation>
    </message>
    <message>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <source>To</source>
        <translation>到</translation>
    </message>
    <message>
        <source>Save as PDF</source>
        <translation>保存为 PDF</translation>
    </message>
    <message>
        <source>Save as Excel (.xlsx)</source>
        <translation>保存为 Excel（.xlsx）</translation>
    </message>
    <message>
        <source>The start date %1 is after the end date %2</source>
        <translation>起始日期 %1 晚于结束日期 %2，请重新选择</translation>
    </message>
    <message>
        <source>Cannot create the folder %1 (%2)</source>
        <translation>无法创建文件夹 %1（%2）</translation>
    </message>
    <message>
        <source>Computing the stock report…</source>
        <translation>正在生成库存报表…</translation>
    </message>
    <message>
        <source>Stock report written: %1</source>
        <translation>库存报表已保存：%1</translation>
    </message>
</context>
<context>
    <name>StocktakePage</name>
    <message>
        <source>Stocktake</source>
        <translation>盘点</translation>
    </message>
    <message>
        <source>All goods</source>
        <translation>全部实物</translation>
    </message>
    <message>
        <source>Start a count</source>
        <translation>开始盘点</translation>
    </message>
    <message>
        <source>Shelf (e.g. A1)</source>
        <translation>货架（例如 A1）</translation>
    </message>
    <message>
        <source>Scan each item on the shelf</source>
        <translation>逐件扫描货架上的物品</translation>
    </message>
    <message>
        <source>Correct the selected item on this shelf to</source>
        <translation>把选中物品在本货架的数量改为</translation>
    </message>
    <message>
        <source>Correct</source>
        <translation>更正</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>物品</translation>
    </message>
    <message>
        <source>Books</source>
        <translation>账面</translation>
    </message>
    <message>
        <source>Counted</source>
        <translation>实盘</translation>
    </message>
    <message>
        <source>Difference</source>
        <translation>差异</translation>
    </message>
    <message>
        <source>Approve (administrator)</source>
        <translation>审批（管理员）</translation>
    </message>
    <message>
        <source>Cancel the count</source>
        <translation>取消盘点</translation>
    </message>
    <message>
        <source>Count sheet and variance report (PDF)</source>
        <translation>盘点表和差异表（PDF）</translation>
    </message>
    <message>
        <source>No count is open. Choose the goods and start a count.</source>
        <translation>没有进行中的盘点。选择范围后开始盘点。</translation>
    </message>
    <message>
        <source>Count %1 (%2): %3 items, %4 differ, %5 not counted yet</source>
        <translation>盘点单 %1（%2）：共 %3 件物品，%4 件有差异，%5 件还没盘</translation>
    </message>
    <message>
        <source>Select the item to correct first</source>
        <translation>请先选中要更正的物品</translation>
    </message>
    <message>
        <source>Approved: %1 adjustment entries written</source>
        <translation>已审批：写入 %1 条调整记录</translation>
    </message>
    <message>
        <source>No count to print</source>
        <translation>没有可打印的盘点单</translation>
    </message>
    <message>
        <source>Written: %1 and %2</source>
        <translation>已保存：%1 和 %2</translation>
    </message>
</context>
<context>
    <name>SyncIndicator</name>
    <message>
        <source>District: syncing…</source>
        <translation>街道：同步中…</translation>
    </message>
    <message>
        <source>District: not set up</source>
        <translation>街道：未设置</translation>
    </message>
    <message>
        <source>District: offline, %1 waiting</source>
        <translation>街道：离线，%1 条待上传</translation>
    </message>
    <message>
        <source>District: %1 waiting</source>
        <translation>街道：%1 条待上传</translation>
    </message>
    <message>
        <source>District: never synced</source>
        <translation>街道：从未同步</translation>
    </message>
    <message>
        <source>District: synced %1</source>
        <translation>街道：已同步 %1</translation>
    </message>
</context>
<context>
    <name>SyncPage</name>
    <message>
        <source>Sync</source>
        <translation>同步</translation>
    </message>
    <message>
        <source>The district server does not accept this counter&apos;s account or password. Ask the district administrator, then set it in Settings (F11).</source>
        <translation>街道服务器不认本柜台的账号或密码。请向街道管理员要新的账号，然后在设置 (F11) 里保存。</translation>
    </message>
    <message>
        <source>The encrypted connection to the district server failed: check the SSL mode and the certificate in Settings (F11).</source>
        <translation>与街道服务器的加密连接失败：请在设置 (F11) 里检查 SSL 模式和证书。</translation>
    </message>
    <message>
        <source>The district server did not answer in time (the network is slow or down). The counter works on; entries wait and go with the next sync.</source>
        <translation>街道服务器没有及时回应（网络太慢或断了）。柜台照常工作，记录等下次同步时上传。</translation>
    </message>
    <message>
        <source>Cannot reach the district server (network down, or the server is off). The counter works on; entries wait and go with the next sync.</source>
        <translation>连不上街道服务器（网络断了，或服务器没开）。柜台照常工作，记录等下次同步时上传。</translation>
    </message>
    <message>
        <source>Connecting to the district server</source>
        <translation>正在连接街道服务器</translation>
    </message>
    <message>
        <source>Fetching back this counter&apos;s entries</source>
        <translation>正在取回本柜台的记录</translation>
    </message>
    <message>
        <source>Sending register changes</source>
        <translation>正在上传登记变更</translation>
    </message>
    <message>
        <source>Sending points entries</source>
        <translation>正在上传积分记录</translation>
    </message>
    <message>
        <source>Sending stock entries</source>
        <translation>正在上传库存记录</translation>
    </message>
    <message>
        <source>Receiving from the district</source>
        <translation>正在从街道下载</translation>
    </message>
    <message>
        <source>Finishing</source>
        <translation>即将完成</translation>
    </message>
    <message>
        <source>District sync</source>
        <translation>街道同步</translation>
    </message>
    <message>
        <source>Last successful sync</source>
        <translation>上次成功同步</translation>
    </message>
    <message>
        <source>Last attempt</source>
        <translation>上次尝试</translation>
    </message>
    <message>
        <source>Waiting to be sent</source>
        <translation>等待上传</translation>
    </message>
    <message>
        <source>Hotlist</source>
        <translation>黑名单</translation>
    </message>
    <message>
        <source>District server</source>
        <translation>街道服务器</translation>
    </message>
    <message>
        <source>Nightly sync at</source>
        <translation>每晚同步时间</translation>
    </message>
    <message>
        <source>Sync now (F5)</source>
        <translation>立即同步 (F5)</translation>
    </message>
    <message>
        <source>A sync is already running.</source>
        <translation>已经在同步了。</translation>
    </message>
    <message>
        <source>Syncing with the district… the counter keeps working.</source>
        <translation>正在与街道同步……柜台可以照常兑换。</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>The sync stopped on a program error (see the log).</source>
        <translation>同步因程序错误中止（请看日志）。</translation>
    </message>
    <message>
        <source>The sync did not finish (see above).</source>
        <translation>同步没有完成（原因见上）。</translation>
    </message>
    <message>
        <source>This counter is not joined to a district yet (Settings, F11).</source>
        <translation>本柜台还没有加入街道（设置，F11）。</translation>
    </message>
    <message>
        <source>The last sync failed: the counter works offline, entries wait.</source>
        <translation>上次同步失败：柜台离线照常工作，记录等待上传。</translation>
    </message>
    <message>
        <source>Restored from a backup: sync before redeeming.</source>
        <translation>本机从备份恢复：请先同步再兑换。</translation>
    </message>
    <message>
        <source>In step with the district.</source>
        <translation>与街道一致。</translation>
    </message>
    <message>
        <source>never</source>
        <translation>从未</translation>
    </message>
    <message>
        <source>%1 points entries, %2 stock entries, %3 register changes</source>
        <translation>积分记录 %1 条，库存记录 %2 条，登记变更 %3 条</translation>
    </message>
    <message>
        <source>%1 blocked cards, %2 overdrawn members</source>
        <translation>挂失卡 %1 张，透支会员 %2 人</translation>
    </message>
    <message>
        <source>%1 (counter %2)</source>
        <translation>%1（柜台 %2）</translation>
    </message>
    <message>
        <source>not set</source>
        <translation>未设置</translation>
    </message>
    <message>
        <source>Last error: %1</source>
        <translation>上次错误：%1</translation>
    </message>
    <message>
        <source>Refused by the district (dead letters): %1</source>
        <translation>街道拒收的记录：%1 条</translation>
    </message>
    <message>
        <source>None.</source>
        <translation>没有。</translation>
    </message>
</context>
<context>
    <name>VoidDialog</name>
    <message>
        <source>Void a redemption</source>
        <translation>作废兑换</translation>
    </message>
    <message>
        <source>e.g. wrong item taken</source>
        <translation>例如：拿错了物品</translation>
    </message>
    <message>
        <source>Receipt no.</source>
        <translation>小票号</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>管理员</translation>
    </message>
    <message>
        <source>Administrator PIN</source>
        <translation>管理员 PIN 码</translation>
    </message>
    <message>
        <source>Please fill in the receipt number and the reason.</source>
        <translation>请填写小票号和原因。</translation>
    </message>
    <message>
        <source>No administrator is set up on this counter.</source>
        <translation>本柜台还没有设置管理员。</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>正在核对…</translation>
    </message>
</context>
<context>
    <name>VoucherBox</name>
    <message>
        <source>Mark used</source>
        <translation>核销</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Voucher %1</source>
        <translation>优惠券 %1</translation>
    </message>
    <message>
        <source>%1 · %2 · member %3 · %4 points · issued %5, valid until %6</source>
        <translation>%1 · %2 · 会员 %3 · %4 积分 · %5 发放，有效期至 %6</translation>
    </message>
    <message>
        <source>merchant</source>
        <translation>商家</translation>
    </message>
    <message>
        <source>Valid: not used yet</source>
        <translation>有效：尚未使用</translation>
    </message>
    <message>
        <source>Marked used at %1</source>
        <translation>已核销（%1）</translation>
    </message>
</context>
<context>
    <name>WishesPage</name>
    <message>
        <source>Micro-wishes</source>
        <translation>微心愿</translation>
    </message>
    <message>
        <source>Has a deadline</source>
        <translation>有期限</translation>
    </message>
    <message>
        <source>Wish</source>
        <translation>心愿</translation>
    </message>
    <message>
        <source>Wished by</source>
        <translation>许愿人</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>期限</translation>
    </message>
    <message>
        <source>Post wish</source>
        <translation>发布心愿</translation>
    </message>
    <message>
        <source>Print wish wall (PDF)</source>
        <translation>打印心愿墙（PDF）</translation>
    </message>
    <message>
        <source>Card of the member (several: separated by commas)</source>
        <translation>会员卡号（多人用逗号分开）</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>队伍</translation>
    </message>
    <message>
        <source>Reason for taking it down</source>
        <translation>撤下原因</translation>
    </message>
    <message>
        <source>Claim</source>
        <translation>认领</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Take down</source>
        <translation>撤下</translation>
    </message>
    <message>
        <source>Select a wish first</source>
        <translation>请先选择一个心愿</translation>
    </message>
    <message>
        <source>Wish posted</source>
        <translation>心愿已发布</translation>
    </message>
    <message>
        <source>Wish claimed</source>
        <translation>心愿已认领</translation>
    </message>
    <message>
        <source>Wish completed: its award waits for the weekly review</source>
        <translation>心愿已完成：积分等待每周审核</translation>
    </message>
    <message>
        <source>Wish taken down</source>
        <translation>心愿已撤下</translation>
    </message>
    <message>
        <source>Save the wish wall</source>
        <translation>保存心愿墙</translation>
    </message>
    <message>
        <source>Writing the wish wall…</source>
        <translation>正在生成心愿墙……</translation>
    </message>
    <message>
        <source>Wish wall with %1 wishes written to %2</source>
        <translation>心愿墙（%1 个心愿）已保存到 %2</translation>
    </message>
</context>
</TS>
