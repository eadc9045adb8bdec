package policy

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A senseRule keeps a vocabulary word from declaring anything where the
// clause around it shows the word means something else: 短信 in 短信验证码
// is a message the app sends, not the user's SMS inbox; 通话记录 with the
// service desk is the operator's recording, not the device call log. The
// words are in the compact folded form matchTerms sees.
//
// ID is stable: `policy extract --explain` names the rule that vetoed a
// word, and reviewers cite it.
type senseRule struct {
	ID string
	// Terms are the vocabulary words the rule applies to.
	Terms []string
	// Within are words whose presence in the clause gives the other sense.
	Within []string
	// Unless are words that restore the device sense even so (读取短信验证码
	// is reading the inbox).
	Unless []string
	// KeepData vetoes only the permission: the data is still disclosed
	// (本机号码 in a one-click sign-in is the user's number, obtained from
	// the carrier without the phone-number permission).
	KeepData bool
	// KeepPerms vetoes only the data: the permission is still disclosed
	// (保存图片 asks for storage, but reads none of the user's pictures).
	KeepPerms bool
	// Sentence reads Within and Unless in the whole sentence, not only
	// the clause: a list item's context is its sentence's subject.
	Sentence bool
	// Perms are the permissions the word asks for in this sense instead
	// (电话权限 where the app places calls is CALL_PHONE).
	Perms []string
	Why   string
}

var senseRules = []senseRule{
	{
		ID:       "PS101",
		Terms:    []string{"短信", "短信息", "短彩信", "sms", "text message", "发送短信", "短信发送"},
		Within:   []string{"验证码", "校验码", "交易码", "口令码", "提醒等短信", "短信分享", "发送至运营商", "编辑短信", "等方式", "短信验证", "短信认证", "短信登录", "动态码", "动态密码", "营销", "推广", "通知短信", "短信通知", "提醒短信", "短信提醒", "短信推送", "向您发送", "给您发送", "向你发送", "发送至您", "发送到您", "发送给您", "以短信", "通过短信", "短信方式", "短信形式", "短信服务", "短信网关", "短信渠道", "verification code", "one-time", "otp", "send you", "we may text", "marketing", "私信", "站内信", "弹窗", "方式通知", "通知您", "发送多类通知", "发送通知", "发送各类通知", "发送电子邮件", "推送通知"},
		Unless:   []string{"读取", "自动填", "自动识别", "自动读取", "监听", "接收短信", "短信权限", "访问短信", "访问您的短信", "read your sms", "read sms", "sms permission", "access your sms", "autofill", "auto-fill"},
		Sentence: true,
		Why:      "an SMS the app or its server sends to the user (verification code, notice, marketing), not the device's messages",
	},
	{
		ID:       "PS102",
		Terms:    []string{"通话记录", "通话历史", "通话日志", "呼叫记录", "来电记录", "通信记录", "call log", "call history"},
		Within:   []string{"客服", "与我们", "和我们", "同我们", "与本公司", "热线", "呼叫中心", "坐席", "回访", "通话录音", "录音", "解决问题", "咨询记录", "报障", "留下的联系方式", "customer service", "support line", "with us", "our support"},
		Unless:   []string{"通话记录权限", "读取通话记录", "读取您的通话记录", "访问通话记录", "访问您的通话记录", "手机通话记录", "设备通话记录", "call log permission", "read your call log", "access your call log"},
		Sentence: true,
		Why:      "calls between the user and the operator's service desk, recorded on the operator's side",
	},
	{
		ID:     "PS103",
		Terms:  []string{"位置", "定位", "地理位置", "location"},
		Within: []string{"保存位置", "存储位置", "下载位置", "文件位置", "安装位置", "存放位置", "服务器位置", "服务器所在", "数据中心", "网页位置", "页面位置", "storage location", "server location", "crash location", "code location", "error location", "location in the code", "location in code", "location of our servers", "servers are located", "located in", "file location", "save location"},
		Unless: []string{"位置权限", "定位权限", "位置信息", "地理位置信息", "location permission", "your location", "device location"},
		Why:    "where a file or server is kept, not the user's position",
	},
	{
		ID:     "PS104",
		Terms:  []string{"日历", "calendar"},
		Within: []string{"日历控件", "日期选择", "选择日期", "calendar view", "date picker"},
		Unless: []string{"日历权限", "读取日历", "写入日历", "访问日历", "添加到日历", "calendar permission", "your calendar"},
		Why:    "a date picker, not the device calendar",
	},
	{
		ID:     "PS105",
		Terms:  []string{"通讯录", "联系人", "contacts"},
		Within: []string{"紧急联系人", "联系人姓名", "联系人电话", "收货联系人", "联系人信息", "填写联系人", "联系电话", "联系方式", "联络方式", "联络信息", "联系人:", "contact us", "contact person", "emergency contact"},
		Unless: []string{"通讯录权限", "读取通讯录", "读取您的通讯录", "访问通讯录", "访问您的通讯录", "手机通讯录", "contacts permission", "your contacts", "address book"},
		Why:    "a contact person the user types in (emergency, delivery, a business contact beside its phone number), not the device's address book",
	},
	{
		ID:     "PS106",
		Terms:  []string{"接听电话", "接听来电", "answer phone calls"},
		Within: []string{"正常接听", "来电时", "有来电", "暂停播放", "暂停音频", "不影响", "incoming call", "pause playback"},
		Unless: []string{"自动接听", "代接", "接听权限", "answer calls for you", "automatically answer"},
		Why:    "the app yields to an incoming call (read through the phone-state permission); it does not answer calls itself",
	},
	{
		ID:     "PS107",
		Terms:  []string{"广告标识符", "广告id", "设备广告标识", "advertising id", "advertising identifier", "ad id"},
		Within: []string{"ios", "idfa", "苹果", "iphone", "ipad"},
		Unless: []string{"android", "安卓", "gaid", "google", "谷歌", "oaid"},
		Why:    "Apple's advertising identifier (IDFA) of the iOS app, not Google's advertising ID on Android",
	},
	{
		ID:     "PS108",
		Terms:  []string{"通知栏消息", "通知消息", "通知内容", "notification content"},
		Within: []string{"推送", "推荐", "向您发送", "给您发送", "提醒您", "通知您", "send you", "we send"},
		Unless: []string{"读取通知", "通知使用权", "监听通知", "获取通知", "read your notifications", "notification access"},
		Why:    "notifications the app shows to the user, not the content of the user's other notifications",
	},
	{
		ID:     "PS109",
		Terms:  []string{"行程"},
		Within: []string{"运行程序", "进行程序", "执行程序"},
		Why:    "行程 inside 运行程序 (a running program), not an itinerary",
	},
	{
		ID:     "PS110",
		Terms:  []string{"卡号", "card number"},
		Within: []string{"sim卡卡号", "sim卡号", "iccid", "sim card number"},
		Unless: []string{"银行卡号", "银行卡", "bank card"},
		Why:    "the SIM card's number (ICCID), not a bank card",
	},
	{
		ID:     "PS111",
		Terms:  []string{"电子邮箱", "电子邮件", "邮箱", "email", "e-mail", "email address"},
		Within: []string{"与我们联系", "联系我们", "与我方联系", "向我方", "向我们询问", "请通过", "发送邮件至", "发送至", "来信", "@", "邮箱地址:", "电子邮箱:", "联系邮箱", "邮箱为", "email:", "e-mail:", "发送电子邮件", "send you emails", "contact us", "write to us", "email us", "reach us"},
		Unless: []string{"收集您的", "您的电子邮箱", "您的邮箱", "your email", "your e-mail"},
		Why:    "the operator's own contact address, not the user's",
	},
	{
		ID:     "PS112",
		Terms:  []string{"联系地址", "地址", "通讯地址", "address"},
		Within: []string{"联系地址为", "公司联系地址", "注册地址", "办公地址", "我们的地址", "公司地址", "地址为:", "our address", "registered address", "office address"},
		Unless: []string{"您的地址", "收货地址", "您的联系地址", "your address"},
		Why:    "the operator's own postal address, not the user's",
	},
	{
		ID:     "PS113",
		Terms:  []string{"aaid"},
		Within: []string{"oaid", "vaid", "应用匿名标识", "匿名标识", "华为", "huawei", "hms", "移动安全联盟", "msa"},
		Unless: []string{"google", "谷歌", "gaid", "advertising id", "android advertising"},
		Why:    "the anonymous application ID (AAID) of Huawei or of the MSA alliance's identifier set, listed beside OAID and VAID, not Google's advertising ID",
	},
	{
		ID:     "PS114",
		Terms:  []string{"传感器", "传感器信息", "sensor", "sensors"},
		Within: []string{"基站", "cell tower", "gps等传感器", "gps传感器", "接入点、蓝牙等传感器", "蓝牙等传感器", "wlan及gps"},
		Unless: []string{"加速度", "陀螺仪", "重力", "方向传感器", "磁力", "光线", "距离传感器", "计步", "运动传感器", "accelerometer", "gyroscope", "motion sensor"},
		Why:    "Wi-Fi access points, Bluetooth and cell towers named as the sources of a location fix (the template's 传感器信息), not motion sensors",
	},
	{
		ID:     "PS115",
		Terms:  []string{"头像", "avatar", "profile picture"},
		Within: []string{"上传头像", "设置头像", "更换头像", "头像设置", "修改头像", "编辑头像", "编辑个人头像", "拍摄头像", "拍照上传", "change your avatar", "upload an avatar", "set your avatar"},
		Unless: []string{"第三方账号", "第三方帐号", "授权登录", "微信登录", "qq登录", "第三方平台", "third-party account", "sign in with"},
		Why:    "a picture the user sets as the avatar from the camera or album, not a profile shared by a third-party account",
	},
	{
		ID:       "PS116",
		Terms:    []string{"本机号码", "本机手机号", "本机手机号码", "本机号"},
		Within:   []string{"一键登录", "一键绑定", "一键注册", "一键认证", "秒验", "号码认证", "本机号码认证", "本机号码校验", "运营商认证", "运营商提供", "运营商获取", "免密登录"},
		Unless:   []string{"读取本机号码", "读取电话号码", "电话号码权限", "手机号权限", "read_phone_numbers", "read phone numbers"},
		KeepData: true,
		Sentence: true,
		Why:      "one-click sign-in: the carrier's SDK returns the number, the app needs no phone-number permission",
	},
	{
		ID:        "PS117",
		Terms:     []string{"图片", "视频", "音乐", "images", "image", "videos", "video"},
		Within:    []string{"视频播放", "播放视频", "观看视频", "图片保存", "保存图片", "图片缓存", "缓存图片", "图片的缓存", "图片分享及浏览", "浏览图片", "启动页视频", "开屏视频", "短视频", "小视频", "视频服务", "音乐、电台", "播放音乐", "视频电话", "视频通话", "活体检测", "保存到本地", "存储已完成的图片", "images cache", "image cache", "video playback", "play videos", "save images"},
		Unless:    []string{"相册", "照片", "图库", "媒体库", "本地图片", "本地视频", "您的图片", "您的视频", "上传图片", "上传视频", "选择图片", "选择视频", "gallery", "photo library", "your photos", "your videos", "upload"},
		KeepPerms: true,
		Why:       "pictures or videos the app shows, plays, caches or saves, not the user's own media",
	},
	{
		ID:       "PS118",
		Terms:    []string{"通知栏权限", "通知权限", "通知", "notification permission", "notifications"},
		Within:   []string{"通知栏状态", "通知状态", "通知开关状态", "锁屏通知", "是否允许通知", "是否开启通知", "notification status", "notification settings status"},
		Unless:   []string{"申请通知", "开启通知权限", "授权通知", "获取通知权限"},
		KeepData: true,
		Why:      "whether notifications are allowed, read by a push SDK as device state, not a permission the app asks for",
	},
	{
		ID:       "PS119",
		Terms:    []string{"网络信息", "网络类型", "网络状态"},
		Within:   []string{"ip地址", "设备信息", "位置信息", "运营商", "imei", "mac地址", "设备型号", "操作系统", "设备标识", "idfa"},
		Unless:   []string{"获取网络", "读取网络", "查看网络", "访问网络", "网络权限", "网络状态权限", "获取当前网络", "获取您的网络", "获取用户网络"},
		KeepData: true,
		Why:      "network details in a list of collected data, not the permission to read the network state",
	},
	{
		ID:       "PS120",
		Terms:    []string{"设备识别码", "设备标识", "设备id", "手机识别码", "sim卡信息", "device id", "device identifiers"},
		Within:   []string{"、", "ip地址", "mac地址", "ip address", "mac address", "we collect", "we may collect", "we automatically collect", "information about the device"},
		Unless:   []string{"基于", "开启", "电话权限", "设备权限", "设备信息权限", "状态权限", "识别码权限", "标识权限", "识别码的权限", "标识符权限", "电话状态", "手机状态", "通话状态", "电话信息", "permission", "phone state", "phone status"},
		KeepData: true,
		Why:      "a device identifier in a list of collected data, not the phone-state permission",
	},
	{
		ID:     "PS121",
		Terms:  []string{"photos and videos", "photos", "videos", "pictures", "images", "照片", "视频", "图片"},
		Within: []string{"capture photos", "take photos", "taking photos", "take pictures", "taking pictures", "capture images", "record videos", "record video", "capture video", "using the device camera", "using the camera", "with the camera", "with your camera", "拍摄照片", "拍摄视频", "拍照", "拍摄图片"},
		Unless: []string{"gallery", "photo library", "your photos", "upload", "select", "choose", "相册", "图库", "上传", "选择", "本地图片", "本地视频", "存储"},
		Why:    "pictures and videos the camera takes, not the user's media library",
	},
	{
		ID:        "PS122",
		Terms:     []string{"昵称", "头像", "大头贴", "nickname", "avatar", "profile picture"},
		Within:    []string{""},
		Unless:    []string{"第三方", "微信", "qq", "微博", "支付宝", "抖音", "淘宝", "授权", "登录", "登陆", "登入", "绑定", "社交", "sdk", "openid", "unionid", "wechat", "weibo", "facebook", "google", "apple", "twitter", "github", "line", "third-party", "third party", "social", "sign in", "sign-in", "log in", "login"},
		KeepPerms: true,
		Sentence:  true,
		Why:       "the nickname and picture the user sets on the platform, not a profile read from another account",
	},
	{
		ID:     "PS123",
		Terms:  []string{"notifications", "notification", "通知", "通知栏"},
		Within: []string{"access to the device's notifications", "access to your notifications", "access to notifications", "access to all notifications", "read notifications", "read your notifications", "reads notifications", "notification access", "notification listener", "读取通知", "读取您的通知", "访问通知", "通知使用权", "通知访问", "通知监听", "读取通知栏"},
		Unless: []string{"send you notifications", "post notifications", "show notifications", "发送通知", "推送通知"},
		Why:    "reading other apps' notifications (a notification listener), not posting the app's own",
	},
	{
		ID:       "PS124",
		Terms:    []string{"电话", "电话权限"},
		Within:   []string{"拨打", "拨电话", "打电话", "拨号"},
		Unless:   []string{"状态", "识别码", "设备信息", "设备标识", "imei", "本机号码", "通话记录", "正在拨打", "拨打的号码", "中止通话"},
		Sentence: true,
		Perms:    []string{"android.permission.CALL_PHONE"},
		Why:      "the phone item of a template used to place calls (CALL_PHONE), not to read the phone's state",
	},
	{
		ID:       "PS125",
		Terms:    []string{"应用列表", "已安装应用列表", "软件安装列表", "应用安装列表", "安装列表", "软件列表", "已安装应用信息", "安装包信息", "应用程序列表", "app列表", "已安装应用", "当前安装应用", "安装的应用", "安装程序列表", "已安装程序列表", "installed apps", "app list", "installed applications"},
		Within:   []string{"、", "收集", "包括"},
		Unless:   []string{"列表权限", "应用程序权限", "读取应用", "读取已安装", "读取您的应用", "读取软件", "获取应用", "获取已安装", "获取软件", "获取您的应用", "访问安装", "访问app", "访问应用", "查询应用", "检测应用", "采集", "permission"},
		KeepData: true,
		Why:      "the installed-app list among collected data items, not the permission to list packages",
	},
	{
		ID:       "PS126",
		Terms:    []string{"位置", "位置信息", "地理位置", "地理位置信息", "定位", "location", "location data", "general location"},
		Within:   []string{"ip地址解析", "ip解析", "ip属地", "ip地址推断", "ip地址推算", "根据ip", "基于ip", "通过ip", "ip对应", "from your ip", "from the ip", "ip-based", "ip based", "based on your ip", "based on ip", "derived from", "country/region", "country or region"},
		Unless:   []string{"位置权限", "定位权限", "gps", "精确", "精准", "location permission", "precise", "fine location"},
		KeepData: true,
		Why:      "a rough place inferred from the IP address on the server, not a location permission",
	},
	{
		ID:     "PS127",
		Terms:  []string{"运营商", "电信运营商", "通信运营商", "carrier", "mobile carrier"},
		Within: []string{"运营商网关", "运营商会", "运营商将", "运营商的测速", "运营商提供", "运营商合作", "的合作", "运营商认证", "运营商校验", "至运营商", "向运营商", "与运营商", "运营商进行", "经销商", "服务提供商", "运营商服务", "运营商的服务", "your carrier may charge", "carrier charges", "carrier rates"},
		Unless: []string{"运营商信息", "运营商名称", "运营商类型", "sim卡运营商", "网络运营商", "获取运营商", "读取运营商", "carrier name", "carrier information"},
		Why:    "the carrier as a party (a one-click sign-in gateway, a recipient, a service it provides), not carrier data read from the device",
	},
	{
		ID:     "PS128",
		Terms:  []string{"网络环境"},
		Within: []string{"网络环境的复杂", "网络环境复杂", "网络环境的自由", "网络环境不稳定", "网络环境的不稳定", "网络环境安全", "安全的网络环境", "网络环境下"},
		Why:    "the network in general (its complexity, openness or safety), not the device's network data",
	},
	{
		ID:     "PS130",
		Terms:  []string{"语音", "音频", "voice", "audio"},
		Within: []string{"语音播报", "播报", "语音阅读", "朗读", "听书", "有声", "素材", "播放", "音频文件下载", "语音合成", "转为语音", "转换为语音", "文字转语音", "合成语音", "read aloud", "text-to-speech", "text to speech", "playback", "audio output"},
		Unless: []string{"麦克风", "录音", "录制", "语音输入", "语音识别", "语音搜索", "语音消息", "语音聊天", "语音通话", "唤醒", "microphone", "record", "voice input", "voice message"},
		Why:    "audio the app plays or reads aloud (voice broadcast, read-aloud, sound material), not the microphone",
	},
	{
		ID:       "PS131",
		Terms:    []string{"进程信息", "运行中进程", "正在运行的进程", "当前运行任务信息", "运行中的应用", "正在运行的应用", "手机进程"},
		Within:   []string{"、", "收集", "包括", "包含"},
		Unless:   []string{"进程权限", "任务权限", "进程的权限", "读取", "获取", "检索", "permission"},
		KeepData: true,
		Why:      "running processes among collected data items, not the permission to list running tasks",
	},
	{
		ID:       "PS132",
		Terms:    []string{"google advertising id", "advertising id", "广告标识符", "广告id", "gaid"},
		Within:   []string{"、", "收集", "信息获取", "包括", "包含", "设备识别码", "设备标识", "imei", "android id", "androidid", "oaid"},
		Unless:   []string{"ad_id", "广告标识符权限", "广告id权限", "advertising id permission"},
		KeepData: true,
		Sentence: true,
		Why:      "the advertising ID among an SDK's collected data, not the AD_ID permission the app declares",
	},
	{
		ID:        "PS133",
		Terms:     []string{"sd卡", "sdcard", "sd card", "存储空间", "存储卡", "storage", "storage devices"},
		Within:    []string{"容量", "空间占用", "占用大小", "剩余空间", "可用空间", "空闲区域", "space", "capacity"},
		Unless:    []string{"文件", "照片", "图片", "files", "photos", "documents"},
		KeepPerms: true,
		Why:       "how much storage there is or is used, not the files on it",
	},
	{
		ID:     "PS134",
		Terms:  []string{"点击"},
		Within: []string{"点击确认", "点击同意", "点击\"", "点击“", "点击【", "点击[", "点击右上角", "点击个人", "点击进入", "-点击", ">点击", "→点击", "请点击", "可点击", "签署或点击", "点击该链接", "点击链接", "点击按钮", "点击此处", "点击查看", "点击下方", "点击页面"},
		Unless: []string{"点击数据", "点击记录", "点击行为", "点击次数", "点击信息", "点击操作", "点击位置", "点击、", "、点击", "点击及", "点击和", "和点击"},
		Why:    "an instruction to the user (tap to confirm, tap a link or a menu), not a record of what the user taps",
	},
	{
		ID:     "PS135",
		Terms:  []string{"启动时间", "开机时间"},
		Within: []string{"设备启动时间", "系统启动时间", "设备开机时间", "手机开机时间"},
		Unless: []string{"应用启动时间", "app启动时间", "启动次数"},
		Why:    "when the device booted (device state), not how the user uses apps",
	},
	{
		ID:     "PS136",
		Terms:  []string{"广告标识符", "广告id", "安卓广告标识符", "android广告标识符", "advertising identifier", "advertising id"},
		Within: []string{"广告标识符(idfa", "广告标识符(ios", "广告标识符(oaid", "广告id(idfa", "广告id(ios", "广告id(oaid", "advertising identifier (idfa", "advertising id (idfa"},
		Why:    "an advertising identifier the parenthesis right after it names (广告标识符（IDFA）, 安卓系统广告标识符（OAID）): that identifier, not Google's advertising ID",
	},
	{
		ID:     "PS137",
		Terms:  []string{"sim卡信息", "sim card information"},
		Within: []string{"sim卡信息imsi", "sim卡信息(imsi", "sim卡信息(mcc", "sim卡信息(运营商"},
		Why:    "SIM information the words right after it name (IMSI, the carrier's MCC/MNC), not the SIM serial (ICCID)",
	},
	{
		ID:     "PS138",
		Terms:  []string{"beacon", "beacons", "信标"},
		Within: []string{"web beacon", "网站信标", "网络信标", "网页信标", "像素标签", "pixel tag", "cookie"},
		Why:    "web beacons (tracking pixels in pages and e-mail), not Bluetooth beacons",
	},
	{
		ID:        "PS139",
		Terms:     []string{"location permission", "location", "位置权限", "定位权限"},
		Within:    []string{"wifi ssid", "wi-fi ssid", "ssid", "bssid", "connected wi-fi network", "connected wifi network", "signal strength", "wifi名称", "wi-fi名称", "wlan名称"},
		Unless:    []string{"your location", "locate you", "location tracking", "track your location", "您的位置", "地理位置信息"},
		KeepPerms: true,
		Why:       "the location permission used only to read the Wi-Fi network's name or signal (Android ties them to it), no location collected",
	},
	{
		ID:     "PS140",
		Terms:  []string{"media", "媒体"},
		Within: []string{"media access control", "媒体访问控制"},
		Why:    "Media Access Control, the MAC address, not the user's media files",
	},
	{
		ID:     "PS141",
		Terms:  []string{"访问互联网", "访问网络"},
		Within: []string{"互联网平台", "互联网服务平台", "网站", "网页版", "http"},
		Unless: []string{"网络权限", "联网权限", "访问网络权限", "互联网权限"},
		Why:    "the user visiting a website (访问互联网平台…), not the app's network permission",
	},
	{
		ID:       "PS142",
		Terms:    []string{"device id", "device identifiers", "device identifier", "设备标识", "设备id"},
		Within:   []string{"request a copy", "access your data", "delete your data", "your rights", "查阅", "复制", "删除您的", "更正"},
		Unless:   []string{"permission", "权限", "phone state"},
		KeepData: true,
		Sentence: true,
		Why:      "an identifier among the data a user may ask to see or delete, not the phone-state permission",
	},
	{
		ID:     "PS143",
		Terms:  []string{"installed apps", "installed applications", "安装的应用"},
		Within: []string{"other system-installed apps", "accessible to other", "other installed apps", "其他已安装的应用可以访问"},
		Unless: []string{"list of installed", "installed apps list", "query_all_packages", "应用列表"},
		Why:    "other apps that can reach the app's data (a recipient), not the list of installed apps",
	},
	{
		ID:       "PS144",
		Terms:    []string{"internet"},
		Within:   []string{"internet service provider", "internet service providers"},
		Unless:   []string{"internet permission", "internet access", "access the internet", "access to the internet", "network access"},
		KeepData: true,
		Why:      "the user's Internet Service Provider (a data item), not the app's network permission",
	},
	{
		ID:     "PS146",
		Terms:  []string{"网络访问", "网络"},
		Within: []string{"网络访问日志", "网络日志", "网络平台", "网络服务平台"},
		Unless: []string{"网络权限", "联网权限", "访问网络权限", "网络访问权限"},
		Why:    "the operator's online platform or the web access logs it keeps, not the app's network permission",
	},
	{
		ID:     "PS145",
		Terms:  []string{"location", "locations"},
		Within: []string{"locations where", "from locations", "other locations", "different locations", "multiple locations", "in locations outside"},
		Unless: []string{"your location", "device location", "device's location", "location data", "location permission", "location information", "gps", "precise location", "approximate location"},
		Why:    "places where the company's people, offices or servers are (a data transfer), not the user's location",
	},
	{
		ID:     "PS149",
		Terms:  []string{"location", "your location"},
		Within: []string{"depending on your location", "depending on where you"},
		Unless: []string{"location data", "location permission", "gps", "precise location"},
		Why:    "the user's jurisdiction (depending on your location, you may have further rights), not the device's location",
	},
	{
		ID:       "PS147",
		Terms:    []string{"location", "notifications", "notification", "camera", "microphone", "photos", "contacts", "location permission", "notification permission"},
		Within:   []string{"ios location permission", "ios notification permission", "ios camera permission", "ios microphone permission", "ios photos permission", "ios photo library permission", "ios contacts permission"},
		Unless:   []string{"android"},
		Sentence: true,
		Why:      "the iOS app's permission, named as such in a sentence that says nothing of Android",
	},
	{
		ID:     "PS150",
		Terms:  []string{"location", "locations"},
		Within: []string{"storage access framework", "user-selected location", "save location", "storage location", "file location", "folder location", "download location"},
		Unless: []string{"gps", "location permission", "your location", "location data", "device location"},
		Why:    "where a file is saved, not the device's location",
	},
	{
		ID:     "PS148",
		Terms:  []string{"storage"},
		Within: []string{"storage access framework"},
		Unless: []string{"storage permission", "external storage", "read_external_storage", "write_external_storage", "all files"},
		Why:    "files the user picks through the Storage Access Framework, which needs no storage permission",
	},
	{
		ID:     "PS129",
		Terms:  []string{"storage", "存储"},
		Within: []string{"analytics storage", "analytics_storage", "ad storage", "ad_storage", "ad user data", "ad personalization", "personalization storage", "functionality storage", "security storage", "consent mode"},
		Unless: []string{"storage permission", "external storage", "device storage", "your storage", "存储权限"},
		Why:    "a consent-mode category (analytics_storage, ad_storage): cookies and identifiers stored for analytics or ads, not the device's storage",
	},
}

// A nameSense keeps a product name from declaring its SDK where the clause
// shows the letters mean something else: 环信 inside 手环信息 (a wristband's
// data), FaceID beside 指纹 (the phone's face unlock). Names are compared
// in the folded form names are matched in.
type nameSense struct {
	ID     string
	Names  []string
	Within []string
	Unless []string
	Why    string
}

var nameSenses = []nameSense{
	{
		ID:     "PN101",
		Names:  []string{"环信"},
		Within: []string{"手环信"},
		Unless: []string{"环信im", "环信即时", "环信sdk", "环信客服", "环信推送", "easemob"},
		Why:    "环信 inside 手环信息 (a wristband's data), not Easemob",
	},
	{
		ID:     "PN102",
		Names:  []string{"faceid", "face id"},
		Within: []string{"指纹", "面容", "touch id", "touchid", "fingerprint", "生物识别", "生物特征", "权限", "permission"},
		Unless: []string{"旷视", "megvii", "face++", "腾讯云", "faceid sdk", "faceidsdk"},
		Why:    "the phone's face unlock (Apple Face ID) beside fingerprints or among device permissions, not Megvii's FaceID SDK",
	},
	{
		ID:     "PN103",
		Names:  []string{"qq"},
		Within: []string{"qq客服", "客服qq", "qq群", "qq号码:", "qq号:", "qq:", "qq联系", "联系qq", "官方qq"},
		Unless: []string{"登录", "登陆", "分享", "授权", "互联", "qqsdk", "qq sdk", "sign in", "share"},
		Why:    "the operator's QQ contact number or group, not the QQ SDK",
	},
	{
		ID:     "PN104",
		Names:  []string{"数数"},
		Within: []string{"步数数", "次数数", "参数数", "分数数", "人数数", "数数据", "数数值", "数数量"},
		Unless: []string{"数数科技", "数数sdk", "thinkingdata", "thinking data"},
		Why:    "数数 inside words (步数数据, 参数数值), not ThinkingData",
	},
	{
		ID:     "PN105",
		Names:  []string{"支付宝", "支付宝支付", "微信支付", "微信"},
		Within: []string{"支付宝账号", "支付宝账户", "支付宝支付账号", "支付宝支付信息", "微信支付信息", "微信支付账号", "微信支付账户", "提现到", "提现至", "进行提现", "合法充值渠道", "微信银行", "个人微信"},
		Unless: []string{"sdk", "登录", "登陆", "分享", "集成", "接入", "授权"},
		Why:    "the user's own Alipay or WeChat account (a withdrawal target, payment details the user gives, a bank's WeChat service), not an SDK in the app",
	},
	{
		ID:     "PN106",
		Names:  []string{"gms"},
		Within: []string{"仅gms", "仅限gms", "gms设备", "gms机型"},
		Unless: []string{"gmssdk", "gms sdk"},
		Why:    "a condition on a data item (GAID（仅GMS服务）: only on phones with Google services), not Play services declared as embedded",
	},
	{
		ID:     "PN109",
		Names:  []string{"微信", "qq", "米聊", "钉钉"},
		Within: []string{"聊天界面", "聊天窗口", "聊天页面"},
		Unless: []string{"分享", "登录", "支付", "授权"},
		Why:    "other apps whose chat screens a feature watches (红包助手), not SDKs in the app",
	},
	{
		ID:     "PN108",
		Names:  []string{"头条", "今日头条"},
		Within: []string{"趣头条"},
		Unless: []string{"今日头条", "字节跳动", "穿山甲", "巨量"},
		Why:    "头条 inside 趣头条 (Qutoutiao, 上海基分文化传播有限公司), another company than ByteDance",
	},
	{
		ID:     "PN107",
		Names:  []string{"百度云", "阿里云"},
		Within: []string{"百度云盘", "阿里云盘"},
		Why:    "a consumer cloud drive (百度云盘, 阿里云盘), another product than the vendor's cloud platform",
	},
}

// nameVetoed returns the name rule that gives a matched name another
// sense in this clause, or nil.
func nameVetoed(name string, c clause) *nameSense {
	for i := range nameSenses {
		r := &nameSenses[i]
		in := c
		if c.sentence != nil {
			// A list item's sense is its sentence's: 指纹、面容、FaceID.
			in = *c.sentence
		}
		if slices.Contains(r.Names, name) && senseHas(in, r.Within) && !senseHas(in, r.Unless) {
			return r
		}
	}
	return nil
}

// senseIndex maps a vocabulary word to the rules that apply to it.
type senseIndex map[string][]*senseRule

func newSenseIndex() senseIndex {
	ix := senseIndex{}
	for i := range senseRules {
		r := &senseRules[i]
		for _, t := range r.Terms {
			k := compact(fold(t))
			if !hasHan(k) {
				k = fold(t)
			}
			ix[k] = append(ix[k], r)
		}
	}
	return ix
}

// veto returns the rule that gives the word at hay[at:] another sense in
// this clause, or nil. Folded (Latin) and compact (Han) forms are both
// searched so a rule may use either script.
//
// A rule that takes the word's whole sense away wins over one that keeps
// its data or its permission: 广告标识符（IDFA） in a list of collected
// identifiers is Apple's, though the list alone would keep it as data.
func (ix senseIndex) veto(word string, c clause, seen map[*senseRule]bool) *senseRule {
	var partial *senseRule
	for _, r := range ix[word] {
		v, ok := seen[r]
		if !ok {
			in := c
			if r.Sentence && c.sentence != nil {
				in = *c.sentence
			}
			v = senseHas(in, r.Within) && !senseHas(in, r.Unless)
			seen[r] = v
		}
		if !v {
			continue
		}
		if !r.KeepData && !r.KeepPerms {
			return r
		}
		if partial == nil {
			partial = r
		}
	}
	return partial
}

func senseHas(c clause, words []string) bool {
	for _, w := range words {
		if hasHan(w) {
			if strings.Contains(c.compact, w) {
				return true
			}
		} else if strings.Contains(c.folded, w) {
			return true
		}
	}
	return false
}

// backgroundLocation words turn a location-permission disclosure into one
// of background location as well: Android's "allow all the time" is
// ACCESS_BACKGROUND_LOCATION.
var backgroundLocation = []string{"始终允许", "总是允许", "一直允许", "all the time", "always allow", "when the app is closed", "when the app is not in use", "in the background", "while the app is not running", "when the app is not running", "后台状态下", "处于后台时"}

// urlRe finds web addresses and e-mail addresses. A name inside one
// (bugly.qq.com, lbs.amap.com, privacy@umeng.com) is a link, not a
// disclosure: matching them declared QQ Connect from a Bugly URL.
var urlRe = regexp.MustCompile(`(?i)(?:https?://|www\.)[^\s，。；）)」>"'<]+|[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|cn|net|org|io|co|me|app|tech|html?)(?:[/?#][^\s，。；）)」>"'<]*)?`)

// postalRe finds the value of a postal address the policy gives for a
// company (办公地址：【广东省广州市…广州阿里中心南塔】, 注册地为深圳市…腾讯大厦):
// a building named after a vendor there is no mention of its products.
var postalRe = regexp.MustCompile(`(?:注册|办公|联系|通讯|通信|公司|住所|经营|营业)(?:地址|地)(?:(?:为|是|位于|在)[：:]?|[：:])\s*【?([^】。；;，,、\n]{4,60})`)

// blankURLs replaces web, e-mail and company postal addresses with spaces
// of the same length, so offsets into the text stay valid.
func blankURLs(s string) string {
	if strings.Contains(s, "地") {
		if locs := postalRe.FindAllStringSubmatchIndex(s, -1); locs != nil {
			b := []byte(s)
			for _, loc := range locs {
				for i := loc[2]; i < loc[3]; i++ {
					b[i] = ' '
				}
			}
			s = string(b)
		}
	}
	if !strings.Contains(s, ".") {
		return s
	}
	return urlRe.ReplaceAllStringFunc(s, func(u string) string {
		// "Sentry.io", "Branch.io": a brand written as its domain, with a
		// capital and nothing after it, is the name.
		if c := u[0]; c >= 'A' && c <= 'Z' && !strings.ContainsAny(u, "/?#@") && strings.Count(u, ".") == 1 {
			return u
		}
		return strings.Repeat(" ", len(u))
	})
}

// parenNegation matches a parenthesised remark that takes back what was
// just named: 电话权限（当前版本未使用该权限）, "Contacts (not used in this
// version)".
var parenNegation = regexp.MustCompile(`^\s*[(\[]([^()\[\]]{0,60}?)(未使用|不使用|暂未|暂不|未申请|不申请|不会申请|未调用|不调用|不涉及|无需|不需要|未开启|已移除|已删除|已下线|not used|not use|no longer|does not|not request|removed)`)

// removedAfter matches a predicate right after an item that says it is gone:
// "the old analytic integrations (Google Analytics) have been removed",
// "友盟SDK已移除".
var removedAfter = regexp.MustCompile(`^\s*(?:sdk|library|integrations?|module)?\s*[)\]]?\s*(?:sdk|library|integrations?)?\s*(?:(?:has|have|had) been|(?:was|were|is|are)(?: now)?)\s+(?:removed|dropped|discontinued|no longer used)|^\s*(?:sdk)?\s*[)\]]?\s*(?:已被?(?:移除|下线|停用|废弃)|不再使用)`)

// parenNegated reports whether the text right after a match is a remark
// that the item is not used.
func parenNegated(hay string, end int) bool {
	if end >= len(hay) {
		return false
	}
	rest := hay[end:]
	if len(rest) > 200 {
		rest = rest[:200]
	}
	if parenNegation.MatchString(rest) {
		return true
	}
	// The remark words first: a hostile sentence asks after every name.
	return containsAny(rest, removedWords) && removedAfter.MatchString(rest)
}

// removedWords are in every match of removedAfter.
var removedWords = []string{"removed", "dropped", "discontinued", "no longer", "移除", "下线", "停用", "废弃", "不再使用"}

// listBreak words start a clause that has its own subject or turns the
// sentence: a negation does not carry into it.
var listBreak = regexp.MustCompile(`^(but|however|except|instead|we |our |it |they |this |these |you |和我们|但|但是|而|除|我们|本应用|本app|您|你|其他|同时|此外|另外)`)

// carriesNegation reports whether a clause continues a list the previous
// clause negated ("We do not use X, Y or any other attribution service"):
// a short fragment with no subject or turn of its own.
func carriesNegation(c clause) bool {
	if listBreak.MatchString(strings.TrimLeft(c.folded, " (")) {
		return false
	}
	if hasHan(c.folded) {
		// "请不要向我们发送您的个人信息，包括您的名字、地址或者邮箱地址":
		// the examples of what was negated are negated too.
		return runeLen(c.compact) <= 12 || examplesRe.MatchString(c.compact)
	}
	t := strings.TrimSpace(c.folded)
	// "…such as your name, email address, phone number, or precise
	// location unless you provide it": the list's last item, however long
	// its tail, is the list's — unless the conjunction starts a clause of
	// its own ("and we use Firebase to …").
	for _, conj := range []string{"or ", "nor ", "and "} {
		if rest, ok := strings.CutPrefix(t, conj); ok && !listBreak.MatchString(rest) {
			return true
		}
	}
	return strings.Count(c.folded, " ") <= 6 || strings.HasPrefix(t, "such as ") || strings.HasPrefix(t, "including ")
}

// examplesRe starts a clause that lists examples of what the clause before
// it named.
var examplesRe = regexp.MustCompile(`^(?:包括|包含|例如|比如|诸如)`)

// productRe is what may follow a vendor's name to make a product name:
// optional 公司的 / 的, a few words, then SDK or a word for a component.
var productRe = regexp.MustCompile(productHead + `(?:sdk|插件|组件|开放平台|框架|kit|api|接口)`)

// productSDKRe is productRe ending at the word SDK or a component word.
var productSDKRe = regexp.MustCompile(productHead + `(?:sdk|插件|组件)`)

// productHead is the start both product patterns share: optional 公司的 /
// 的, then the product words (a slash or pipe parts two names: Bugly/百度定位SDK).
const productHead = `^\s*(?:公司)?的?\s*([^,;:()<>\[\]"、。./|]{1,24}?)\s*`

// productAfter returns the words between a vendor's name and the SDK
// that follows it ("游戏" in "oppo游戏sdk"), or "" when the name is not
// the start of a product name.
func productAfter(hay string, end int) string {
	if end >= len(hay) {
		return ""
	}
	if strings.HasSuffix(hay[:end], "sdk") {
		// "穿山甲广告SDK 优量汇广告SDK": a name that ends in SDK is a
		// whole product's name; the words after it start the next.
		return ""
	}
	rest := hay[end:]
	if len(rest) > 80 {
		rest = rest[:80]
	}
	if t := strings.TrimLeft(rest, " \t"); len(t) < len(rest) && t != "" {
		// A run of spaces between Chinese characters is a lost line
		// break: the words after it are not this name's.
		last, _ := utf8.DecodeLastRuneInString(hay[:end])
		next, _ := utf8.DecodeRuneInString(t)
		if unicode.Is(unicode.Han, last) && unicode.Is(unicode.Han, next) {
			return ""
		}
	}
	// The words up to "SDK" first: in 阿里移动Api网关SDK the product is
	// 移动Api网关, not 移动 before "api".
	m := productSDKRe.FindStringSubmatch(rest)
	if m == nil {
		m = productRe.FindStringSubmatch(rest)
	}
	if m == nil {
		// "友盟push", "极光push": a Latin word run straight onto a Han
		// brand names the product without "SDK".
		n := 0
		for n < len(rest) && rest[n] >= 'a' && rest[n] <= 'z' {
			n++
		}
		if n >= 3 && end > 0 && !isWordByte(hay[end-1]) {
			return rest[:n]
		}
		return ""
	}
	w := strings.TrimSpace(m[1])
	// "华为会通过SDK收集…": a verb after the name says what the company
	// does through its SDK; it is no product's name.
	for _, verb := range []string{"会", "将", "可", "也", "还", "需", "已", "均", "都", "通过", "使用", "提供", "接入", "集成", "采用", "利用", "在"} {
		if strings.HasPrefix(w, verb) {
			return ""
		}
	}
	// "神策SDK和极光SDK": a conjunction starts the next name, not words
	// of this one.
	for _, conj := range []string{"和", "及", "与", "或", "以及", "and ", "or ", "&"} {
		if strings.HasPrefix(w, conj) {
			return ""
		}
	}
	return w
}

// asideAt reports whether the text at offset at sits inside a document
// title (<…隐私政策…>, folded from 《》) or in brackets right after an SDK's
// name.
func asideAt(hay string, at, end int) bool {
	if at > len(hay) {
		return false
	}
	// "判断是否已安装微信/QQ等客户端": the apps checked for.
	if before := hay[max(0, at-60):at]; strings.Contains(before, "是否已安装") || strings.Contains(before, "是否安装了") || strings.HasSuffix(before, "是否安装") {
		if i := max(strings.LastIndex(before, "是否已安装"), strings.LastIndex(before, "是否安装")); i >= 0 && !strings.ContainsAny(before[i:], ",.;:()，。；：") {
			return true
		}
	}
	// "极光服务器", "Google's servers": the company's servers, not its SDK;
	// 官方QQ, QQ群, 微信公众号: a way to reach the operator; "检查微信、支付宝是否
	// 安装": the other app; umeng-share, com.umeng: an identifier.
	if end <= len(hay) {
		rest := strings.TrimLeft(hay[end:], " ")
		for _, w := range []string{"服务器", "server", "'s server", "官网", "网站", "website", "号", "群", "公众号", "小程序", "是否安装"} {
			if strings.HasPrefix(rest, w) {
				return true
			}
		}
		// "distributed via Google Play", "在Google Play商店": the store the
		// app comes from, not an SDK (Play services and Play Billing are
		// names of their own and match before the brand).
		if strings.HasPrefix(rest, "play") && (len(rest) == 4 || !isWordByte(rest[4])) {
			after := strings.TrimSpace(rest[4:])
			if !containsAny(after[:min(len(after), 16)], []string{"services", "service", "billing", "games", "integrity", "install", "core", "服务", "结算", "游戏", "核心"}) {
				return true
			}
		}
		if len(rest) > 1 && strings.ContainsRune("-_", rune(rest[0])) && isWordByte(rest[1]) && !(rest[1] >= '0' && rest[1] <= '9') {
			// umeng-share, com.umeng_sdk: part of an identifier. A
			// version after the dash (universal-image-loader-1.9.5.jar)
			// leaves the name whole.
			return true
		}
		// "以手机短信、个人微信等方式向您发送通知": a channel to reach
		// the user, not an SDK.
		if strings.HasPrefix(rest, "等方式") || strings.HasPrefix(rest, "方式") {
			return true
		}
		// "检查微信、支付宝是否安装": every app of the short list is the
		// other app, not only the last.
		if i := strings.Index(rest, "是否安装"); i > 0 && i <= 40 && strings.ContainsAny(rest[:i], ",、") && !strings.ContainsAny(rest[:i], ".;:(") {
			return true
		}
		// 旷视Face++（iOS端）: an SDK of the other platform.
		if r := strings.TrimLeft(rest, "abcdefghijklmnopqrstuvwxyz0123456789+ sdk"); strings.HasPrefix(r, "(") && len(rest)-len(r) <= 24 {
			rest = r
		}
		if strings.HasPrefix(rest, "(") {
			if j := strings.IndexByte(rest, ')'); j > 0 && j < 30 && strings.Contains(rest[:j], "ios") && !strings.Contains(rest[:j], "android") && !strings.Contains(rest[:j], "安卓") {
				return true
			}
		}
	}
	if strings.HasSuffix(strings.TrimRight(hay[:at], " "), "官方") {
		return true
	}
	before := hay[:at]
	if i := strings.LastIndexByte(before, '<'); i >= 0 && !strings.Contains(before[i:], ">") {
		title := hay[i:]
		if j := strings.IndexByte(title, '>'); j >= 0 {
			title = title[:j]
		}
		if containsAny(title, []string{"隐私", "政策", "声明", "协议", "条款", "说明", "指引", "privacy", "policy", "terms"}) {
			return true
		}
	}
	return false
}

// afterSDKName reports whether the text at offset at sits in brackets right
// after an SDK's name: a vendor named there is the product's operator
// ("数据漫游者SDK（抖音开发平台）"), not a mention of its other products.
func afterSDKName(hay string, at int) bool {
	if at > len(hay) {
		return false
	}
	before := hay[:at]
	if i := strings.LastIndexByte(before, '('); i >= 0 && !strings.Contains(before[i:], ")") {
		lead := strings.TrimRight(before[:i], " ")
		return strings.HasSuffix(lead, "sdk") && !kindOnlySDK(strings.TrimSuffix(lead, "sdk"))
	}
	return false
}

// kindFiller are the words that, with the category words, make up a
// kind of SDK rather than a product's name (第三方推送, 站外分享, 厂商通道).
var kindFiller = []string{"第三方", "厂商", "站外", "手机", "系统", "服务", "消息", "相关", "认证", "网络", "类", "的"}

// kindOnlySDK reports whether the words before "SDK" name only a kind
// ("推送SDK", "PUSH SDK", "站外分享SDK"): the bracket after it lists the
// products of that kind by their vendors (PUSH SDK(华为、小米、OPPO)), not
// the operator of one product.
func kindOnlySDK(lead string) bool {
	// The name runs back to the previous delimiter or list number.
	if i := strings.LastIndexAny(lead, ")(,:;/"); i >= 0 {
		lead = lead[i+1:]
	}
	w := compact(lead)
	if w == "" {
		return false
	}
	for _, words := range categoryWords {
		for _, k := range words {
			w = strings.ReplaceAll(w, k, "")
		}
	}
	for _, k := range kindFiller {
		w = strings.ReplaceAll(w, k, "")
	}
	return w == ""
}

// sectionNegation marks a heading whose section lists what the app does
// not use or collect.
var sectionNegation = regexp.MustCompile(`(未接入|未集成|没有接入|没有集成|不接入|不集成|尚未|暂未|未使用|不使用|不会收集|不收集|未收集|not (?:use|used|integrated|collect)|do not use|don't use|we don't|we do not)`)

// leadInNegation reports whether a paragraph ends in a colon and says that
// what follows is not used ("以下功能目前尚未接入：", "We do not use:").
func leadInNegation(text string) bool {
	t := strings.TrimSpace(text)
	if !strings.HasSuffix(t, "：") && !strings.HasSuffix(t, ":") {
		return false
	}
	f := fold(t)
	// "We send nothing anywhere other than to the following services:"
	// lists what is used.
	if containsAny(f, []string{"except", "other than", "apart from", "besides", "only", "除", "以外", "之外", "仅", "只"}) {
		return false
	}
	// "关闭以下权限不会影响您对本软件其他功能的使用：": what refusing the
	// items costs, said of items that are used.
	last := f
	if i := strings.LastIndexAny(strings.TrimRight(f, "：: "), ",，;；。."); i >= 0 {
		last = f[i:]
	}
	if containsAny(last, []string{"影响", "拒绝", "关闭", "撤回", "affect", "refuse", "turn off"}) {
		return false
	}
	// Only the lead-in's own sentence says whether the list is denied: a
	// paragraph that ends "…您可在以下情形自主选择是否提供个人信息：" after
	// "不会影响…" introduces what is used.
	sent := f
	body := strings.TrimRight(sent, ": ")
	for i := len(body) - 1; i >= 0; i-- {
		if !strings.ContainsRune(".!?;", rune(body[i])) {
			continue
		}
		// A sentence ends at a stop followed by a space or by Chinese
		// text (。 folds to "."); the dots of "v0.10.0" end nothing.
		if next, _ := utf8.DecodeRuneInString(body[i+1:]); next == ' ' || unicode.Is(unicode.Han, next) {
			sent = body[i:]
			break
		}
	}
	return sectionNegation.MatchString(sent) || negationRe.MatchString(sent)
}
