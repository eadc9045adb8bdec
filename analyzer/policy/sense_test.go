package policy

import (
	"strings"
	"testing"
)

// Each case is one class of error the reader made on real policies, written
// here in the team's own words: the sentences are invented, the shapes are
// the ones real policies have.
func TestReadingClasses(t *testing.T) {
	lx := lexicon(t)
	cases := []struct {
		name      string
		lines     []string
		want, not []string // "perm:X", "data:X", "sdk:X", "deny:kind:X"
	}{
		{name: "Huawei's AAID beside OAID (PS113)", lines: []string{"我们会收集唯一标识符（vaid、oaid、aaid）。"},
			not: []string{"data:gaid"}, want: []string{"data:oaid"}},
		{name: "location sources are not motion sensors (PS114)", lines: []string{"我们会收集能够提供相关信息的WLAN接入点、蓝牙和基站等传感器信息。", "收集信息：加速度传感器信息"},
			want: []string{"data:sensors"}},
		{name: "location sources alone (PS114)", lines: []string{"我们会收集能够提供相关信息的WLAN接入点、蓝牙和基站等传感器信息。"},
			not: []string{"data:sensors"}},
		{name: "an avatar the user sets (PS115)", lines: []string{"摄像头，用于识别二维码、设置头像。"},
			not: []string{"data:social-profile"}},
		{name: "a FAQ question declares nothing", lines: []string{"Does the Application collect precise real-time location information of the device?"},
			not: []string{"data:precise-location", "data:coarse-location"}},
		{name: "approximate location is coarse", lines: []string{"This Application collects your device's location, which helps determine your approximate geographical location."},
			want: []string{"data:coarse-location"}, not: []string{"data:precise-location"}},
		{name: "a future change that would need more (你)", lines: []string{"但是如果更新的内容需要采集面部信息、地理位置信息等个人敏感信息，仍会再次以显著方式征求你的同意。"},
			not: []string{"data:precise-location", "data:face-biometric"}},
		{name: "one-click sign-in needs no phone-number permission (PS116)", lines: []string{"服务商通过“秒验”服务实现您使用“一键绑定本机手机号码”功能。"},
			not: []string{"perm:READ_PHONE_NUMBERS"}, want: []string{"data:phone-number"}},
		{name: "approximate location asks for the coarse permission", lines: []string{"我们会申请位置权限，获取粗略地理位置。"},
			want: []string{"perm:ACCESS_COARSE_LOCATION"}, not: []string{"perm:ACCESS_FINE_LOCATION"}},
		{name: "an umbrella SDK's row names its parts by purpose", lines: []string{"SDK名称：微信SDK 使用目的：登录、支付、分享", "SDK名称：友盟SDK 用途：数据统计分析"},
			want: []string{"sdk:wechat-opensdk", "sdk:wechat-pay", "sdk:umeng-analytics"}},
		{name: "支付宝 is no payment purpose", lines: []string{"我们可能从第三方（微信、支付宝）获取您授权共享的头像、昵称。"},
			not: []string{"sdk:wechat-pay"}},
		{name: "a company's defined short form is the company", lines: []string{"我们需将上述信息传输给北京旷视科技有限公司（以下简称“旷视”），由旷视将上述信息提供给第三方机构进行比对。"},
			not: []string{"sdk:megvii-faceid"}},
		{name: "a vendor run together with an unknown product", lines: []string{"当您使用视频播放时，我们通过第三方SDK七牛PCDN来优化您的播放体验。"},
			not: []string{"sdk:qiniu-storage"}},
		{name: "pictures the app saves are not the user's media (PS117)", lines: []string{"【设备文件读写权限】用于碑帖、单字和集字等图片保存。"},
			not: []string{"data:photos-media"}, want: []string{"perm:WRITE_EXTERNAL_STORAGE"}},
		{name: "notification status read by a push SDK is data (PS118)", lines: []string{"收集信息：消息发送结果、通知栏状态（如通知栏权限、用户点击行为）"},
			not: []string{"perm:POST_NOTIFICATIONS"}},
		{name: "write-only calendar access under its own heading", lines: []string{"日历权限", "使用场景：添加任务提醒到系统日历时", "收集内容：日历事件信息(仅写入,不读取)", "你可以在系统设置中逐项查看、开启或关闭相机、麦克风、日历等权限；"},
			want: []string{"perm:WRITE_CALENDAR", "deny:permission:READ_CALENDAR"}, not: []string{"perm:READ_CALENDAR"}},
		{name: "storage written, never read", lines: []string{"我们的服务需要访问设备的存储才能存储已完成的图片，但我们不会从设备的存储中获取任何信息。"},
			want: []string{"perm:WRITE_EXTERNAL_STORAGE"}, not: []string{"perm:READ_EXTERNAL_STORAGE"}},
		{name: "network details among collected data are data (PS119)", lines: []string{"信息获取：设备信息、网络信息、IP地址、位置信息"},
			not: []string{"perm:ACCESS_NETWORK_STATE"}},
		{name: "reading the network state is the permission", lines: []string{"SDK需获取完全的网络访问权限，查看网络状态，查看WiFi状态"},
			want: []string{"perm:ACCESS_NETWORK_STATE"}},
		{name: "a literal one letter off a known name is that name", lines: []string{"- android.permission.ACCESS_NETWORK_STAT"},
			want: []string{"perm:ACCESS_NETWORK_STATE"}, not: []string{"perm:ACCESS_NETWORK_STAT"}},
		{name: "the standard's list of what personal information includes declares nothing", lines: []string{"个人信息包括：个人基本资料（个人姓名、性别、住址等）；个人生物识别信息（指纹、面部特征等）；个人位置信息（行踪轨迹、精准定位信息等）"},
			not: []string{"data:face-biometric", "data:location-track"}},
		{name: "a device identifier in a list of collected data is data (PS120)", lines: []string{"信息获取：设备号、IP地址、设备软件信息、设备识别码、设备识别符"},
			not: []string{"perm:READ_PHONE_STATE"}},
		{name: "the phone-state permission by its wording", lines: []string{"我们会在您授权同意的范围内获取检查来电状态权限"},
			want: []string{"perm:READ_PHONE_STATE"}},
		{name: "a Chinese question heading declares nothing", lines: []string{"4.Xiu浏览器访问哪些网络服务?"},
			not: []string{"perm:INTERNET"}},
		{name: "pictures the camera takes are not the media library (PS121)", lines: []string{"Camera and Media: The app requires camera access to capture photos and videos."},
			want: []string{"perm:CAMERA"}, not: []string{"perm:READ_MEDIA_IMAGES", "perm:READ_MEDIA_VIDEO"}},
		{name: "location the app acquires asks for the permission", lines: []string{"Note that the location information of the user is temporarily acquired due to the characteristics of the app."},
			want: []string{"perm:ACCESS_FINE_LOCATION"}},
		{name: "SMS verification the service sends (PS101)", lines: []string{"第三方SDK“SMSSDK、创蓝文化SDK”为手机短信验证，用于手机号码绑定；"},
			not: []string{"data:sms", "perm:READ_SMS"}},
		{name: "precise location covers approximate", lines: []string{"The following permissions are needed:", "- Precise Location: many modem APIs require this permission."},
			want: []string{"perm:ACCESS_FINE_LOCATION", "perm:ACCESS_COARSE_LOCATION"}},
		{name: "naming a file is no real name; device settings are no device data", lines: []string{"The app uses the microphone to record audio and lets you name a recording file.", "You can turn this off in your device settings."},
			not: []string{"data:real-name", "data:device-info"}},
		{name: "where in the code a crash happened is no location (PS103)", lines: []string{"Firebase | Analyze application crashes | Device model, OS version, code crash location and error message"},
			not: []string{"data:precise-location", "perm:ACCESS_FINE_LOCATION"}},
		{name: "the apps checked for installation are no SDKs; sending SMS is no reading", lines: []string{"如您分享，需要访问APP安装列表来判断是否已安装微信/QQ等客户端。", "您使用移动短信充值功能时，需编辑短信发送至运营商，因此需要获取编写、发送短信权限。"},
			not: []string{"sdk:qq-connect", "sdk:wechat-opensdk", "perm:READ_SMS"}, want: []string{"perm:SEND_SMS"}},
		{name: "a glossary entry declares nothing", lines: []string{"唯一设备识别码（专属ID或UUID）：是指由设备制造商编入到设备中的一串字符，可用于以独有方式标识相应设备（如IMEI/Android ID/IMSI等）。"},
			not: []string{"data:imei", "data:android-id", "data:imsi"}},
		{name: "a URL that is no browsing history", lines: []string{"收集信息：Google 账号 sub 标识、邮箱、昵称、头像 URL"},
			not: []string{"data:browsing-history"}},
		{name: "every app of a list checked for installation is the other app", lines: []string{"用于检查相关功能是否可以拉起所需的第三方应用（如：充值时，需要检查微信、支付宝是否安装等）。"},
			not: []string{"sdk:wechat-opensdk", "sdk:alipay-sdk"}},
		{name: "网易易盾 names the vendor, its products by their words", lines: []string{"发布内容的审核需要用到网易易盾SDK。", "网易易盾行为验证 | 安全 | 杭州网易质云科技有限公司"},
			want: []string{"sdk:netease-yidun-captcha"}},
		{name: "SMS the app sends", lines: []string{"注册时我们会向您的手机号码发送短信验证码。", "经您同意，我们可能向您发送短信营销信息。"},
			not: []string{"perm:READ_SMS", "data:sms", "perm:SEND_SMS"}},
		{name: "reading the inbox for a code is SMS reading", lines: []string{"经您授权，我们会读取短信验证码并自动填写。"},
			want: []string{"data:sms"}},
		{name: "calls with the service desk", lines: []string{"为提升服务质量，我们会保存您与我们客服的通话记录。"},
			not: []string{"perm:READ_CALL_LOG", "data:call-log"}},
		{name: "the user's account on the platform", lines: []string{"您的账户信息（昵称、头像）将展示在主页。"},
			not: []string{"perm:GET_ACCOUNTS", "data:accounts"}},
		{name: "honor as a verb", lines: []string{"We will honor your request within 30 days."},
			not: []string{"sdk:honor-push"}},
		{name: "addresses are not names", lines: []string{"详见 https://bugly.qq.com/v2/contract 与 lbs.amap.com/pages/privacy 及 privacy@umeng.com。"},
			not: []string{"sdk:qq-connect", "sdk:amap-map", "sdk:amap-location", "sdk:umeng-common"}},
		{name: "identifier spellings", lines: []string{"我们会收集设备标识符（AndroidID）。", "We read ANDROID_ID and androidId."},
			want: []string{"data:android-id"}},
		{name: "permission names with spaces", lines: []string{"存储权限（WRITE EXTERNAL STORAGE）：用于保存图片。"},
			want: []string{"perm:WRITE_EXTERNAL_STORAGE"}},
		{name: "allow all the time", lines: []string{"位置权限（始终允许）：用于记录运动轨迹。"},
			want: []string{"perm:ACCESS_BACKGROUND_LOCATION", "perm:ACCESS_FINE_LOCATION", "perm:ACCESS_COARSE_LOCATION"}},
		{name: "coordinated negation", lines: []string{"We do not use Adjust, AppsFlyer or any other attribution service."},
			not: []string{"sdk:adjust", "sdk:appsflyer"}, want: []string{"deny:sdk:appsflyer"}},
		{name: "parenthesised not-used remark", lines: []string{"电话权限（当前版本未使用该权限）。"},
			not: []string{"perm:READ_PHONE_STATE"}, want: []string{"deny:permission:READ_PHONE_STATE"}},
		{name: "removed SDKs", lines: []string{"2020-06-28: Removed Firebase and Crashlytics reporting."},
			not: []string{"sdk:firebase-crashlytics", "sdk:firebase-common"}},
		{name: "server-side service stays on its vendor", lines: []string{"当您使用虚拟电话功能时，我们会向阿里云计算有限公司共享您的手机号码。"},
			not: []string{"sdk:alibaba-cloud-privacy-number"}},
		{name: "brand followed by product words", lines: []string{"1、OPPO游戏SDK", "SDK用途：用于OPPO平台的登录和支付", "第三方机构名称：广东欢太科技有限公司"},
			not: []string{"sdk:oppo-push", "sdk:oppo-ads"}},
		{name: "brand followed by a product's own words", lines: []string{"由此SDK引入：华为 update SDK。"},
			want: []string{"sdk:huawei-update-sdk"}},
		{name: "the integrated SDK is the sentence's subject", lines: []string{"本APP集成北京示例科技有限公司的速验SDK，并通过中国移动、中国联通的接口获取本机号码认证结果。"},
			not: []string{"sdk:cmcc-number-auth", "sdk:cucc-number-auth"}},
		{name: "identifier containing a vendor name", lines: []string{"我们会收集设备相关信息（如OAID、Google Advertising ID）。"},
			not: []string{"sdk:google-admob", "sdk:google-ads-identifier"}},
		{name: "contact channel", lines: []string{"如有疑问，您可以添加官方QQ与我们联系。"},
			not: []string{"sdk:qq-connect"}},
		{name: "iOS-only SDK", lines: []string{"人脸识别由旷视Face++（iOS端）实现。"},
			not: []string{"sdk:megvii-faceid"}},
		{name: "section of what is not used", lines: []string{"暂未接入的第三方服务：", "消息推送（Firebase Cloud Messaging）", "行为统计（友盟）", "地图组件（Google Maps）"},
			not: []string{"sdk:firebase-messaging", "sdk:google-maps"}},
		{name: "permission list without a heading", lines: []string{"1. 读取电话状态 用于来电报号。", "2. 相机 用于拍照识别。", "3. 麦克风 用于语音输入。", "4. 悬浮窗 显示菜单。", "禁用部分权限可能导致功能不可用。"},
			want: []string{"perm:READ_PHONE_STATE", "perm:CAMERA", "perm:RECORD_AUDIO", "perm:SYSTEM_ALERT_WINDOW"}},
		{name: "records", lines: []string{"3、极光推送SDK", "使用目的：向您推送消息", "收集个人信息类型：设备标识符（Android ID、OAID）、位置信息", "第三方机构名称：深圳市和讯华谷信息技术有限公司"},
			want: []string{"sdk:jpush", "perm:ACCESS_FINE_LOCATION", "data:android-id"}},
		{name: "a permission newer than the rules, written in full", lines: []string{"本应用申请 `android.permission.FOREGROUND_SERVICE_SPECIAL_USE` 用于下载。"},
			want: []string{"perm:FOREGROUND_SERVICE_SPECIAL_USE"}},
		{name: "Android labels in an SDK row's data cell", lines: []string{"5、示例统计SDK", "使用目的：统计分析", "收集个人信息类型：获取网络状态、读取电话状态、请求安装应用、设备型号", "第三方机构名称：北京示例科技有限公司"},
			want: []string{"perm:READ_PHONE_STATE", "perm:ACCESS_NETWORK_STATE", "perm:REQUEST_INSTALL_PACKAGES"}},
		{name: "nouns in an SDK row's data cell stay data", lines: []string{"5、示例统计SDK", "使用目的：统计分析", "收集个人信息类型：设备信息、网络状态、电话", "第三方机构名称：北京示例科技有限公司"},
			not: []string{"perm:READ_PHONE_STATE", "perm:ACCESS_NETWORK_STATE"}},
		{name: "a literal's label adds no other permission", lines: []string{"8）android.permission.BLUETOOTH（使用蓝牙权限）：连接耳机"},
			want: []string{"perm:BLUETOOTH"}, not: []string{"perm:BLUETOOTH_CONNECT"}},
		{name: "yielding to incoming calls", lines: []string{"我们会申请电话权限，以便您在使用时可以正常接听电话。"},
			want: []string{"perm:READ_PHONE_STATE"}, not: []string{"perm:ANSWER_PHONE_CALLS"}},
		{name: "Apple's advertising identifier", lines: []string{"该SDK会获取iOS广告标识符（IDFA）用于广告归因。"},
			not: []string{"perm:com.google.android.gms.permission.AD_ID", "perm:ACCESS_ADSERVICES_ATTRIBUTION"}},
		{name: "items of a list that 权限 introduces", lines: []string{"本应用会使用以下权限（包括：位置、相册），用于发布带位置的动态。"},
			want: []string{"perm:ACCESS_FINE_LOCATION"}},
		{name: "advice on withdrawing consent names no permission in use", lines: []string{"您可以在系统设置中关闭通讯录、相机、麦克风权限以撤回授权。"},
			not: []string{"perm:READ_CONTACTS", "perm:CAMERA", "perm:RECORD_AUDIO"}},
		{name: "A、B和C权限", lines: []string{"我们会在您第一次使用时请求相机、存储和麦克风权限。"},
			want: []string{"perm:READ_EXTERNAL_STORAGE", "perm:CAMERA", "perm:RECORD_AUDIO"}},
		{name: "the verbs of access take data", lines: []string{"广告合作伙伴可能将访问诸如您的设备标识符、网络类型、应用列表等信息。"},
			not: []string{"perm:ACCESS_NETWORK_STATE", "perm:QUERY_ALL_PACKAGES"}},
		{name: "an Android label is the permission", lines: []string{"我们需要获取您的软件安装列表，用于检测风险应用。"},
			want: []string{"perm:QUERY_ALL_PACKAGES"}},
		{name: "a name glued to SDK", lines: []string{"本APP集成深圳市腾讯计算机系统有限公司的BuglySDK，BuglySDK需要收集崩溃信息。"},
			want: []string{"sdk:bugly"}},
		{name: "a plugin's package name", lines: []string{"| google_sign_in | Google LLC | 登录 |"},
			want: []string{"sdk:google-sign-in"}},
		{name: "a vendor's API is not its SDK", lines: []string{"第三方SDK包括：抖音直播SDK、微博资讯API。"},
			not: []string{"sdk:weibo-sdk"}},
		{name: "a vendor that fits two of its products declares neither", lines: []string{"为进行数据分析，我们会与谷歌共享设备信息。"},
			not: []string{"sdk:firebase-analytics", "sdk:google-analytics-legacy"}},
		{name: "a vendor whose brand is its product", lines: []string{"为了进行广告效果统计，我们会与北京腾云天下科技有限公司共享去标识化的设备信息。"},
			want: []string{"sdk:talkingdata-app-analytics"}},
		{name: "what an integrated SDK serves", lines: []string{"本APP集成华为终端有限公司的HMS-Core SDK，收集WiFi信息，用于完善华为登录SDK、华为支付SDK等功能。"},
			not: []string{"sdk:huawei-iap"}},
		{name: "the law's definition of personal information", lines: []string{"个人信息包括姓名、出生日期、身份证件号码、个人生物识别信息、通信通讯联系方式、住址、行踪轨迹等。"},
			not: []string{"data:real-name", "data:id-document", "data:face-biometric", "data:location-track", "data:address"}},
		{name: "the operator's e-mail for questions", lines: []string{"如有疑问，请通过电子邮箱：privacy@example.com与我们联系。"},
			not: []string{"data:email"}},
		{name: "the SIM card's number", lines: []string{"安全SDK可能需要获取SIM卡卡号（iccid）。"},
			not: []string{"data:bank-card"}},
		{name: "log information of the service", lines: []string{"我们会自动收集您的日志信息，包括访问时间和IP地址。"},
			not: []string{"data:system-logs"}},
		{name: "a record named after a developer platform", lines: []string{"**腾讯开放平台**", "运营方：深圳市腾讯计算机系统有限公司", "功能：分享内容到微信", "收集个人信息类型：设备信息"},
			want: []string{"sdk:wechat-opensdk"}, not: []string{"sdk:qq-connect"}},
		{name: "a brand written before its product's name", lines: []string{"我们接入了极光JPUSH用于消息推送。"},
			want: []string{"sdk:jpush"}, not: []string{"sdk:jiguang-jcore"}},
		{name: "the template's features resting on a permission", lines: []string{"（2）基于相册（图片库）的功能：您可以上传图片。", "（6）基于日历的功能：您可以使用金融日历等服务。"},
			want: []string{"perm:READ_MEDIA_IMAGES", "perm:READ_CALENDAR"}},
		{name: "words in a feature's description are not its permission", lines: []string{"（7）基于通讯录的功能：您可以使用转账、汇款短信通知等服务。"},
			want: []string{"perm:READ_CONTACTS"}, not: []string{"perm:POST_NOTIFICATIONS"}},
		{name: "definitions in other wordings", lines: []string{"3.个人信息是指，以电子方式记录的各种信息，包括姓名、身份证件号码、面部特征。", "本隐私政策中的个人敏感信息包括：身份证件号码、面部识别特征、行踪轨迹。"},
			not: []string{"data:id-document", "data:face-biometric", "data:location-track"}},
		{name: "the statute's definition, cut from its 是指", lines: []string{"其中一旦泄露或者非法使用，容易导致自然人的人格尊严受到侵害的个人信息，包括生物识别、宗教信仰、医疗健康、金融账户、行踪轨迹等信息。", "包括但不限于身份证件号码、银行账号、征信信息、行踪轨迹、住宿信息、健康生理信息等。"},
			not: []string{"data:location-track", "data:health", "data:id-document", "data:face-biometric"}},
		{name: "an insurer collects what the statute lists", lines: []string{"您投保时，我们会收集：投保人的姓名、证件号码、征信信息、行踪轨迹、个人健康生理信息。"},
			want: []string{"data:location-track", "data:health"}},
		{name: "an address written out is the operator's", lines: []string{"如您有任何疑惑，可通过电子邮箱：privacy@example.com向我方询问。"},
			not: []string{"data:email"}},
		{name: "a data table's No row is a denial", lines: []string{"| Data Type | Collected | Purpose |", "|---|---|---|", "| Precise location data | No | N/A |", "| Email address | Yes | Sign-in |"},
			want: []string{"data:email"}, not: []string{"data:precise-location"}},
		{name: "the platform's own nickname is no third-party profile (PS122)", lines: []string{"注册时，您需提供以下信息：您的昵称、生日、头像。", "当您使用微信授权登录时，我们会获取您的微信昵称和头像。"},
			want: []string{"data:social-profile"}},
		{name: "the platform's own nickname alone (PS122)", lines: []string{"注册时，您需提供以下信息：您的昵称、生日、头像。"},
			not: []string{"data:social-profile"}},
		{name: "a business contact person beside a phone number (PS105)", lines: []string{"您可以提供您的商家名称、您或公司的联系人、联系电话、联系地址。", "联系人：数据及隐私保护中心"},
			not: []string{"data:contacts", "perm:READ_CONTACTS"}},
		{name: "notices by SMS listed after the sending verb (PS101 reads the sentence)", lines: []string{"我们在运营中可能会向您的联系电话发送多类通知，用于用户消息告知，方式包括但不限于短信、电话。"},
			not: []string{"data:sms", "perm:READ_SMS"}},
		{name: "records with the service desk listed after their subject (PS102 reads the sentence)", lines: []string{"当您与我们的客服联系时，我们会记录您提供的联系方式和通信/通话记录和内容。"},
			not: []string{"data:call-log", "perm:READ_CALL_LOG"}},
		{name: "a 获取信息 column is the row's data", lines: []string{"第三方SDK | 服务功能 | 获取信息 | 服务商隐私政策", "---|---|---|---", "网易七鱼SDK | 客服 | 相册、相机、麦克风 |"},
			want: []string{"sdk:netease-qiyu", "perm:CAMERA", "perm:RECORD_AUDIO"}},
		{name: "a kind of SDK with its vendors in brackets", lines: []string{"（3）PUSH SDK(华为、小米、OPPO)", "（4）站外分享SDK（微信、微博）"},
			want: []string{"sdk:huawei-push", "sdk:xiaomi-push", "sdk:oppo-push", "sdk:weibo-sdk"}},
		{name: "a product's operator in brackets", lines: []string{"数据漫游者SDK（抖音开发平台）"},
			not: []string{"sdk:douyin-open-sdk"}},
		{name: "a hyphen before SDK and a kind glued to the vendor", lines: []string{"（25）Webtrends-SDK：为了提供业务功能服务", "（27）腾讯webviewSDK：为了便于您在客户端内浏览信息"},
			want: []string{"sdk:webtrends-sdk", "sdk:tencent-x5"}},
		{name: "letters of a name inside another word (PN101, PN102)", lines: []string{"我行使用了华米授权SDK，获取您的手环信息、蓝牙权限。", "（6）指纹/FaceID：您可使用登录、支付等服务。", "需要您开启相机、蓝牙、FaceID、存储空间、SDK的访问权限。"},
			not: []string{"sdk:easemob-im", "sdk:megvii-faceid"}},
		{name: "the names themselves still count", lines: []string{"我们使用环信IM SDK提供聊天。", "我们使用旷视FaceID进行活体检测。"},
			want: []string{"sdk:easemob-im", "sdk:megvii-faceid"}},
		{name: "real-person verification as a step is no Aliyun product", lines: []string{"我们可能会需要通过人脸识别来进行实人认证。"},
			not: []string{"sdk:aliyun-real-person"}},
		{name: "a subsidiary's product with the group's company", lines: []string{"SDK名称 | 公司 | 目的 | 信息", "---|---|---|---", "微信支付 | 深圳市腾讯计算机系统有限公司 | 帮助用户在应用内使用微信支付 | 设备标识信息"},
			want: []string{"sdk:wechat-pay"}, not: []string{"sdk:tencent-midas"}},
		{name: "a permission named with spaces for its underscores", lines: []string{"ACCESS WIFI STATE – used by the Wi-Fi module;", "WRITE EXTERNAL STORAGE – used to export reports;"},
			want: []string{"perm:ACCESS_WIFI_STATE", "perm:WRITE_EXTERNAL_STORAGE"}, not: []string{"perm:com.asus.msa.SupplementaryDID.ACCESS"}},
		{name: "English negations: has no, cannot", lines: []string{"The app has no internet permission.", "The app cannot access your contacts."},
			not: []string{"perm:INTERNET", "perm:READ_CONTACTS"}},
		{name: "reading other apps' notifications is no notification permission (PS123)", lines: []string{"To control the playing song, the app requires access to the device's notifications."},
			not: []string{"perm:POST_NOTIFICATIONS"}},
		{name: "the template's phone item for placing calls (PS124)", lines: []string{"（8）基于电话的功能：您可使用拨打客服电话等服务。"},
			not: []string{"perm:READ_PHONE_STATE"}},
		{name: "an app-permissions item in a collected log list leaves identifiers data (PS120)", lines: []string{"我行会收集您的如下日志信息：设备型号、唯一设备标识符、登陆IP地址、应用权限、安装的应用信息。"},
			want: []string{"data:device-info"}, not: []string{"perm:READ_PHONE_STATE"}},
		{name: "the template's identifier item still asks for the phone state (PS120)", lines: []string{"（13）基于设备识别码和状态、蓝牙的功能：您可以使用安全认证服务。"},
			want: []string{"perm:READ_PHONE_STATE"}},
		{name: "the installed-app list among collected items is data (PS125)", lines: []string{"我行会收集您的如下日志信息：设备型号、操作系统、应用权限、安装的应用信息或正在运行的进程信息。"},
			want: []string{"data:installed-apps"}, not: []string{"perm:QUERY_ALL_PACKAGES"}},
		{name: "reading the installed-app list still asks for package visibility (PS125)", lines: []string{"（7）读取已安装应用列表，扫描手机设备是否存在仿冒APP应用。", "获取地理位置权限、获取应用列表权限"},
			want: []string{"perm:QUERY_ALL_PACKAGES"}},
		{name: "a place inferred from the IP address is no location permission (PS126)", lines: []string{"位置信息： IP 地址解析的位置信息"},
			want: []string{"data:coarse-location"}, not: []string{"perm:ACCESS_FINE_LOCATION", "perm:ACCESS_COARSE_LOCATION", "data:precise-location"}},
		{name: "a coarse location in a permission cell", lines: []string{"| SDK名称 | 公司名称 | 使用权限 |", "| --- | --- | --- |", "| 抖音SDK | 北京微播视界科技有限公司 | 获取粗略地理位置 |"},
			want: []string{"perm:ACCESS_COARSE_LOCATION"}, not: []string{"perm:ACCESS_FINE_LOCATION"}},
		{name: "general location in an ad SDK's data cell is coarse", lines: []string{"| Service | Purpose | Data collected |", "|---|---|---|", "| Google AdMob | Display advertisements | Advertising ID, device information, general location |"},
			want: []string{"data:coarse-location"}, not: []string{"perm:ACCESS_FINE_LOCATION", "data:precise-location"}},
		{name: "the carrier as a party is no carrier data (PS127)", lines: []string{"在您授权后获取定位权限，用于就近选择测速服务器为您提供电信运营商的测速服务。"},
			not: []string{"data:network-carrier"}},
		{name: "carrier information read from the device is data (PS127)", lines: []string{"我们会收集设备型号、SIM卡运营商名称、网络类型。"},
			want: []string{"data:network-carrier"}},
		{name: "the network in general is no network data (PS128)", lines: []string{"鉴于电子设备、操作系统、网络环境的复杂性，本作者不能保证本产品会兼容所有用户的电子设备。"},
			not: []string{"data:network-carrier"}},
		{name: "a product name's digit set apart (unity 3D SDK)", lines: []string{"| SDK名称 | 公司名称 | 使用目的 |", "| --- | --- | --- |", "| unity 3D SDK | 优三缔科技（上海）有限公司 | 运行 2D 和 3D 内容 |"},
			want: []string{"sdk:unity-engine"}},
		{name: "carriers behind an aggregator's one-click sign-in are gateways", lines: []string{"我们使用了创蓝闪验SDK实现一键登录。", "免密登录是指您无须输入手机号码，手机运营商（中国移动、中国联通、中国电信）通过运营商权限检测手机内部的SIM卡获取您的本机号码。"},
			want: []string{"sdk:shanyan"}, not: []string{"sdk:cmcc-number-auth", "sdk:cucc-number-auth", "sdk:ctcc-number-auth"}},
		{name: "a carrier's SDK named beside an aggregator stays", lines: []string{"当您进行一键登录时，阿里云号码认证SDK、中国移动SDK、中国联通SDK、中国电信SDK，需要收集当前手机号码的掩码。"},
			want: []string{"sdk:aliyun-number-auth", "sdk:cmcc-number-auth", "sdk:cucc-number-auth", "sdk:ctcc-number-auth"}},
		{name: "disabling a permission is withdrawal advice", lines: []string{"您可以在设备上关闭网络、GPS功能或者禁用我们获取您网络、GPS、设备信息权限。"},
			not: []string{"perm:INTERNET"}},
		{name: "two products parted by a slash", lines: []string{"（9）定位SDK（百度地图SDK/百度定位SDK）为了保障位置真实可信，我们会使用定位SDK。", "Bugly/友盟统计SDK"},
			want: []string{"sdk:baidu-map", "sdk:baidu-location", "sdk:bugly", "sdk:umeng-analytics"}},
		{name: "the standard's list said to be among the collected data is still its definition", lines: []string{"以上由您提供或我们收集您的信息中，可能包含您的个人敏感信息，包括身份证件号码、银行账号、通信记录和内容、财产信息、征信信息、行踪轨迹、住宿信息、健康生理信息。"},
			not: []string{"data:location-track", "data:health", "data:call-log"}},
		{name: "messages the operator sends, and its privacy mailbox", lines: []string{"我们可能使用您的信息发送电子邮件、短信、新闻或推送通知。", "个人信息保护电子邮箱地址：privacy@example.com。"},
			not: []string{"data:sms", "data:email", "perm:READ_SMS"}},
		{name: "请勿 negates", lines: []string{"请勿在评论中上传您的身份证照片。"},
			not: []string{"data:id-document"}},
		{name: "the operator's postal address", lines: []string{"本公司联系地址为：北京市海淀区某路1号。"},
			not: []string{"data:address"}},
		{name: "notice of changes by SMS", lines: []string{"对于重大变更，我们会通过短信、私信或弹窗等方式通知您。"},
			not: []string{"data:sms", "perm:READ_SMS"}},
		{name: "notifications the app sends", lines: []string{"我们会通过系统通知栏消息推送为您推荐课程。"},
			not: []string{"data:notification-content"}},
		{name: "行程 inside 运行程序", lines: []string{"该SDK会收集设备信息、运行程序列表。"},
			not: []string{"data:calendar"}},
		{name: "a purpose in brackets is not a list", lines: []string{"存储权限（保存和上传图片）"},
			not: []string{"perm:READ_MEDIA_IMAGES"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := lx.Extract([]*Document{textDoc(tc.lines...)})
			got := map[string]bool{}
			for _, p := range d.Permissions {
				got["perm:"+strings.TrimPrefix(p.Name, "android.permission.")] = true
			}
			for _, c := range d.DataCategories {
				got["data:"+c.ID] = true
			}
			for _, s := range d.SDKs {
				got["sdk:"+s.ID] = true
			}
			for _, n := range d.Denials {
				got["deny:"+n.Kind+":"+strings.TrimPrefix(n.ID, "android.permission.")] = true
			}
			for _, w := range tc.want {
				if !got[w] {
					t.Errorf("want %s; got %v", w, got)
				}
			}
			for _, n := range tc.not {
				if got[n] {
					t.Errorf("%s should not be read here; got %v", n, got)
				}
			}
		})
	}
}

// Explain names the reading behind every item and keeps policy text on
// one line.
func TestExplain(t *testing.T) {
	d := lexicon(t).Extract([]*Document{textDoc("我们会申请相机权限，用于扫码。", "我们不会收集您的通讯录。")})
	d.Unresolved = append(d.Unresolved, ThirdParty{Name: "x\x1b]0;pwned\x07", Evidence: []Evidence{{File: "a\nb", Line: 1, Text: "t\x1b[2J"}}})
	out := Explain(d)
	for _, want := range []string{"android.permission.CAMERA", "[access-word]", "Denials", "[negation]", `\u001b`} {
		if !strings.Contains(out, want) {
			t.Errorf("explain output lacks %q:\n%s", want, out)
		}
	}
	if strings.ContainsRune(out, 0x1b) {
		t.Errorf("explain output carries a raw escape character")
	}
}
