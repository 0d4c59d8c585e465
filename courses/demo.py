"""Two demo courses in plain Vietnamese (and one of them in English) for trying the platform.

`build_demo_courses()` is idempotent: a course whose slug already exists under the catalogue is left alone (with
any changes editors made to it), pictures are found again by title, and a translation that exists is kept.
The words are data, written for older learners: short sentences, concrete examples, no jargon.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from wagtail.models import Locale, Page

from .demo_images import SPECS, DemoImages, demo_audio
from .models import CompetenceDomain, CoursePage, DigitalSkill, LessonPage
from .services import ensure_catalogue

SCAM_SLUG = "nhan-biet-va-phong-tranh-lua-dao"
VNEID_SLUG = "vneid-va-dich-vu-cong-truc-tuyen"

# Only linked, never fetched: editors replace them with the movement's own videos.
SCAM_VIDEO_URL = "https://binhdanhocvuso.gov.vn/"
PUBLIC_SERVICE_VIDEO_URL = (
    "https://www.youtube.com/results?search_query=h%C6%B0%E1%BB%9Bng+d%E1%BA%ABn+n%E1%BB%99p+h%E1%BB%93+s%C6%A1"
    "+C%E1%BB%95ng+D%E1%BB%8Bch+v%E1%BB%A5+c%C3%B4ng+qu%E1%BB%91c+gia"
)

ENGLISH_HOME = {
    "title": "Digital Literacy for All",
    "intro": "Learn basic digital skills: VNeID, online public services, cashless payments, spotting scams online.",
}
ENGLISH_CATALOGUE = {"title": "Courses", "intro": "Short, easy courses in basic digital skills."}

ImageId = Callable[[str], int]  # a picture's key -> the id of its Wagtail image, in one language


@dataclass
class Lesson:
    slug: str
    title: str
    summary: str
    minutes: int
    body: list[dict]


@dataclass
class Course:
    title: str
    summary: str
    cover: str  # a picture's key
    lessons: list[Lesson] = field(default_factory=list)

    @property
    def minutes(self) -> int:
        return sum(lesson.minutes for lesson in self.lessons)


# ------------------------------------------------------------------------------------------------ block helpers

def text(html: str) -> dict:
    return {"type": "paragraph", "value": html}


def tip(html: str) -> dict:
    return {"type": "callout", "value": {"kind": "tip", "text": html}}


def warning(html: str) -> dict:
    return {"type": "callout", "value": {"kind": "warning", "text": html}}


def picture(image: int, alt: str, caption: str = "") -> dict:
    return {"type": "image", "value": {"image": image, "alt_text": alt, "caption": caption}}


def steps(title: str, *items: tuple[str, int | None, str]) -> dict:
    """Numbered steps; each is (what to do as HTML, a screenshot's image id or None, the screenshot's text)."""
    return {"type": "steps", "value": {"title": title, "steps": [
        {"text": html, "screenshot": image, "screenshot_alt": alt} for html, image, alt in items
    ]}}


def video(title: str, poster: int, url: str, duration: str = "") -> dict:
    return {"type": "video", "value": {"title": title, "poster": poster, "file": None, "external_url": url,
                                       "duration": duration}}


def audio(title: str, document: int) -> dict:
    return {"type": "audio", "value": {"title": title, "file": document}}


def checklist(title: str, *items: str) -> dict:
    return {"type": "checklist", "value": {"title": title, "items": list(items)}}


# ------------------------------------------------------------------------------- course 1 (Vietnamese): scams

def scam_course_vi(img: ImageId) -> Course:
    practice = "Tự thực hành"
    return Course(
        title="Nhận biết và phòng tránh lừa đảo trên mạng",
        summary="Năm bài ngắn giúp bạn nhận ra cuộc gọi, tin nhắn lừa đảo, giữ kín mã OTP "
                "và biết phải làm gì khi lỡ bị lừa.",
        cover="scam-cover",
        lessons=[
            Lesson(
                slug="cuoc-goi-gia-danh", minutes=7,
                title="Cuộc gọi giả danh công an, ngân hàng, điện lực",
                summary="Nhận ra những cuộc gọi tự xưng là cơ quan nhà nước để dọa bạn chuyển tiền.",
                body=[
                    text("<p>Kẻ lừa đảo thường gọi điện và tự xưng là công an, nhân viên ngân hàng, điện lực "
                         "hay bưu điện. Giọng họ nghiêm, nói rất nhanh và làm bạn lo sợ. Họ muốn bạn làm theo "
                         "ngay, không kịp hỏi ai.</p>"),
                    picture(img("scam-call"),
                            "Màn hình điện thoại có cuộc gọi đến từ số lạ. Người gọi tự xưng là công an và đòi "
                            "chuyển tiền ngay.",
                            "Số lạ, tự xưng công an, đòi làm ngay: hãy cảnh giác."),
                    text("<h2>Những câu họ hay nói</h2><ul>"
                         "<li>“Bác có liên quan đến một vụ án, phải chuyển tiền để chứng minh mình trong sạch.”</li>"
                         "<li>“Tài khoản ngân hàng của bác sắp bị khóa.”</li>"
                         "<li>“Nhà bác nợ tiền điện, hai giờ nữa sẽ bị cắt điện.”</li>"
                         "<li>“Bác đọc cho tôi mã số vừa gửi về điện thoại.”</li></ul>"),
                    warning("<p><strong>Công an không làm việc qua điện thoại để yêu cầu chuyển tiền.</strong> "
                            "Khi cần gặp bạn, cơ quan công an gửi giấy mời hoặc giấy triệu tập. Ngân hàng và điện "
                            "lực cũng không bao giờ hỏi mật khẩu hay mã OTP của bạn.</p>"),
                    text("<h2>Bạn nên làm gì?</h2><p>Hãy bình tĩnh. Bạn không phải trả lời ngay. Hãy nói: "
                         "“Tôi sẽ tự đến cơ quan để hỏi”, rồi cúp máy. Sau đó, gọi cho con cháu hoặc người thân "
                         "để kể lại. Nếu cần, bạn tự đến công an xã, phường hoặc quầy giao dịch ngân hàng gần "
                         "nhà để hỏi trực tiếp.</p>"),
                    tip("<p>Hãy lưu sẵn số điện thoại của con cháu và của công an xã, phường vào danh bạ. "
                        "Khi có chuyện lạ, bạn gọi được ngay.</p>"),
                    checklist(practice,
                              "Lưu số điện thoại của một người thân vào danh bạ với tên dễ nhớ.",
                              "Tập nói to câu: “Tôi sẽ tự đến cơ quan để hỏi”, rồi cúp máy.",
                              "Kể cho một người bạn nghe về cuộc gọi lừa đảo mà bạn từng nghe nói."),
                ],
            ),
            Lesson(
                slug="ma-otp", minutes=6,
                title="Mã OTP: không bao giờ đưa cho ai",
                summary="Mã OTP là chìa khóa tài khoản của bạn. Ai xin mã này là kẻ lừa đảo.",
                body=[
                    text("<p>Khi bạn chuyển tiền hay đăng nhập ứng dụng ngân hàng, điện thoại thường nhận được "
                         "một tin nhắn có <strong>mã OTP</strong>. Đó là một dãy số ngắn, thường có 6 chữ số, "
                         "chỉ dùng được một lần trong vài phút.</p><p>Mã OTP giống như chìa khóa két sắt. Ai có "
                         "mã này là có thể lấy tiền trong tài khoản của bạn.</p>"),
                    picture(img("scam-otp"),
                            "Tin nhắn của ngân hàng chứa mã OTP gồm 6 chữ số và dòng chữ: tuyệt đối không cung cấp "
                            "mã này cho bất kỳ ai.",
                            "Mã OTP chỉ để bạn tự nhập, không đọc cho ai."),
                    warning("<p><strong>Không bao giờ đọc, gửi hay chụp mã OTP cho bất kỳ ai</strong>, kể cả "
                            "người tự xưng là nhân viên ngân hàng, công an hay người nhà. Nhân viên ngân hàng thật "
                            "không bao giờ hỏi mã này.</p>"),
                    text("<h2>Những cách kẻ gian xin mã OTP</h2><ul>"
                         "<li>Gọi điện nói “gửi nhầm mã”, nhờ bạn đọc lại.</li>"
                         "<li>Báo bạn trúng thưởng, cần mã để “nhận quà”.</li>"
                         "<li>Nhắn tin giả làm con cháu: “Mẹ ơi, đọc giúp con mã vừa gửi về máy mẹ”.</li></ul>"
                         "<p>Nếu có ai xin mã OTP, bạn hãy hiểu ngay: <strong>đó là lừa đảo</strong>. Hãy cúp "
                         "máy và không trả lời tin nhắn.</p>"),
                    steps("Khi nhận được mã OTP mà bạn không hề yêu cầu",
                          ("<p>Đọc kỹ tin nhắn, nhưng <strong>không</strong> làm theo lời nhắn của người lạ.</p>",
                           None, ""),
                          ("<p>Không bấm vào đường link trong tin nhắn đó.</p>", None, ""),
                          ("<p>Gọi tổng đài của ngân hàng (số in ở mặt sau thẻ ATM) để hỏi, và nhờ khóa tạm "
                           "tài khoản nếu cần.</p>", None, "")),
                    tip("<p>Nếu sợ quên, bạn hãy viết lên một mảnh giấy dán cạnh điện thoại: "
                        "<strong>“Mã OTP: không đưa cho ai”</strong>.</p>"),
                    checklist(practice,
                              "Mở hộp tin nhắn, tìm một tin có mã OTP cũ và đọc dòng cảnh báo trong đó.",
                              "Viết mảnh giấy “Mã OTP: không đưa cho ai” và dán cạnh điện thoại.",
                              "Nhắc một người thân trong nhà về điều này."),
                ],
            ),
            Lesson(
                slug="duong-link-la-va-ung-dung-gia", minutes=7,
                title="Đường link lạ và ứng dụng giả",
                summary="Tin nhắn có đường link và ứng dụng cài ngoài cửa hàng có thể lấy mất tiền của bạn.",
                body=[
                    text("<p>Kẻ gian hay gửi tin nhắn có đường link, ví dụ: “Tài khoản của bạn bị khóa, bấm vào "
                         "đây để mở lại” hoặc “Bạn được hoàn tiền điện”. Bấm vào, bạn thấy một trang web giống "
                         "hệt trang của ngân hàng. Nếu bạn nhập mật khẩu vào đó, kẻ gian sẽ lấy được.</p>"),
                    picture(img("scam-sms-link"),
                            "Tin nhắn giả báo tài khoản bị khóa, kèm một đường link lạ, bị đóng dấu đỏ LỪA ĐẢO.",
                            "Tin nhắn dọa khóa tài khoản kèm đường link: dấu hiệu lừa đảo."),
                    text("<h2>Dấu hiệu nhận biết</h2><ul>"
                         "<li>Tin nhắn làm bạn vội vàng hoặc sợ hãi.</li>"
                         "<li>Đường link lạ, viết sai chính tả, có đuôi lạ như .top, .xyz, .vip.</li>"
                         "<li>Người gửi là một số điện thoại cá nhân.</li></ul>"
                         "<p>Kể cả khi tin nhắn hiện đúng tên ngân hàng, cũng đừng bấm link: kẻ gian có thể giả "
                         "cả tên người gửi.</p>"),
                    warning("<p><strong>Không cài ứng dụng từ đường link</strong> người lạ gửi qua tin nhắn, Zalo "
                            "hay Facebook. Ứng dụng giả có thể đọc trộm tin nhắn, lấy mã OTP và điều khiển điện "
                            "thoại của bạn.</p>"),
                    steps("Cài ứng dụng cho an toàn",
                          ("<p>Chỉ mở <strong>CH Play</strong> (điện thoại Android) hoặc <strong>App Store</strong> "
                           "(iPhone) có sẵn trên máy.</p>", None, ""),
                          ("<p>Gõ đúng tên ứng dụng, rồi xem kỹ <strong>tên nhà phát triển</strong> và số lượt "
                           "tải.</p>", img("scam-store"),
                           "Cửa hàng ứng dụng hiện ứng dụng ngân hàng, tên nhà phát triển đúng là ngân hàng, "
                           "và nút Cài đặt màu xanh."),
                          ("<p>Chưa chắc chắn thì nhờ con cháu hoặc tổ công nghệ số cộng đồng xem giúp trước khi "
                           "bấm <strong>Cài đặt</strong>.</p>", None, "")),
                    tip("<p>Muốn vào tài khoản ngân hàng, hãy mở <strong>ứng dụng ngân hàng</strong> bạn đã cài "
                        "sẵn. Đừng bấm link trong tin nhắn.</p>"),
                    checklist(practice,
                              "Xóa một tin nhắn lạ có đường link trong máy.",
                              "Mở CH Play hoặc App Store, xem ứng dụng ngân hàng của bạn do ai phát triển.",
                              "Nhờ con cháu chỉ cách chặn một số điện thoại lạ."),
                ],
            ),
            Lesson(
                slug="kiem-tra-truoc-khi-chuyen-tien", minutes=8,
                title="Dừng lại và kiểm tra trước khi chuyển tiền",
                summary="Ba bước đơn giản trước mỗi lần chuyển tiền theo lời nhắn của người khác.",
                body=[
                    text("<p>Nhiều vụ lừa đảo kết thúc bằng một việc: <strong>bạn tự tay chuyển tiền</strong>. "
                         "Vì vậy, trước mỗi lần chuyển tiền theo lời nhắn của người khác, hãy dừng lại vài phút "
                         "để kiểm tra.</p><p>Một ví dụ hay gặp: tài khoản Zalo hay Facebook của người quen bị "
                         "chiếm, rồi có tin nhắn “Cho mình mượn gấp năm triệu, chiều trả”. Có khi kẻ gian còn gọi "
                         "video vài giây, hình ảnh giống hệt người quen.</p>"),
                    steps("Ba bước trước khi chuyển tiền",
                          ("<p><strong>Dừng lại.</strong> Đừng chuyển ngay, dù người kia giục.</p>",
                           img("scam-chat"),
                           "Tin nhắn Zalo của người quen hỏi mượn gấp 5 triệu đồng và giục chuyển nhanh."),
                          ("<p><strong>Gọi lại</strong> cho người đó bằng số bạn đã lưu từ trước, không dùng số họ "
                           "vừa gửi.</p>", img("scam-callback"),
                           "Màn hình đang gọi cho chị Hoa bằng số đã lưu trong danh bạ để hỏi lại."),
                          ("<p><strong>Đọc kỹ tên người nhận</strong> hiện trên ứng dụng ngân hàng. Tên không đúng "
                           "người bạn định gửi thì dừng lại.</p>", img("scam-transfer"),
                           "Màn hình chuyển tiền: tên người nhận là Trần Văn Bình, không phải chị Hoa, được tô "
                           "đỏ để cảnh báo.")),
                    warning("<p>Không ai được yêu cầu bạn chuyển tiền vào “tài khoản an toàn” hay “tài khoản tạm "
                            "giữ”. <strong>Đó luôn là lừa đảo.</strong></p>"),
                    video("Xem thêm video bài giảng về phòng tránh lừa đảo trên nền tảng Bình dân học vụ số",
                          img("scam-video"), SCAM_VIDEO_URL),
                    tip("<p>Hãy thống nhất với người nhà một câu hỏi riêng, chỉ người trong nhà biết câu trả "
                        "lời. Khi có ai xin tiền gấp, bạn hỏi câu đó.</p>"),
                    checklist(practice,
                              "Lưu số điện thoại của ba người thân hay nhờ cậy.",
                              "Mở ứng dụng ngân hàng, tập đến bước xem tên người nhận rồi bấm quay lại, "
                              "không chuyển.",
                              "Chọn cùng người nhà một câu hỏi riêng để hỏi khi có ai xin tiền gấp."),
                ],
            ),
            Lesson(
                slug="lo-bi-lua-lam-gi", minutes=7,
                title="Lỡ bị lừa: làm gì, gọi ai?",
                summary="Làm nhanh các việc cần thiết để giữ tiền và giúp công an tìm kẻ gian.",
                body=[
                    text("<p>Ai cũng có thể bị lừa, kể cả người trẻ và người có học. Nếu lỡ bị lừa, bạn đừng "
                         "xấu hổ và đừng giấu. Báo càng nhanh thì càng có cơ hội giữ lại tiền.</p>"),
                    picture(img("scam-help"),
                            "Ba việc cần làm khi bị lừa: gọi ngân hàng để khóa tài khoản, báo công an xã, phường, "
                            "gọi 113 khi nguy hiểm."),
                    steps("Làm ngay theo thứ tự",
                          ("<p>Gọi ngay <strong>tổng đài của ngân hàng</strong> (số in ở mặt sau thẻ ATM hoặc trong "
                           "ứng dụng) để báo và <strong>khóa tài khoản</strong>.</p>", None, ""),
                          ("<p>Đổi mật khẩu ứng dụng ngân hàng, Zalo, Facebook nếu bạn đã lỡ đưa cho người lạ.</p>",
                           None, ""),
                          ("<p>Đến <strong>công an xã, phường</strong> gần nhất để trình báo. Mang theo thẻ căn "
                           "cước, giấy tờ chuyển tiền và điện thoại có tin nhắn, cuộc gọi.</p>", None, ""),
                          ("<p>Nếu đang gặp nguy hiểm hoặc cần giúp đỡ khẩn cấp, gọi <strong>113</strong>.</p>",
                           None, "")),
                    tip("<p>Đừng xóa tin nhắn, lịch sử cuộc gọi hay biên lai chuyển tiền. Đó là bằng chứng giúp "
                        "công an và ngân hàng.</p>"),
                    warning("<p>Cẩn thận với người gọi đến hứa <strong>“lấy lại tiền giúp”</strong> nếu bạn trả "
                            "phí. Đó thường là lừa đảo lần thứ hai.</p>"),
                    text("<p>Bạn cũng có thể gọi hoặc nhắn tin miễn phí tới tổng đài <strong>156</strong> để báo "
                         "cuộc gọi, tin nhắn có dấu hiệu lừa đảo. Nhà mạng và cơ quan chức năng sẽ xác minh, ngăn "
                         "chặn để người khác không bị lừa.</p>"),
                    checklist(practice,
                              "Tìm số tổng đài ngân hàng ở mặt sau thẻ ATM và lưu vào danh bạ.",
                              "Ghi địa chỉ trụ sở công an xã, phường nơi bạn ở.",
                              "Nhắc người nhà: nếu bị lừa, hãy kể ngay, đừng giấu."),
                ],
            ),
        ],
    )


# ------------------------------------------------------------------------------- course 1 (English): scams

def scam_course_en(img: ImageId) -> Course:
    """The English translation of the scams course; lessons keep the Vietnamese slugs (the same addresses)."""
    practice = "Try it yourself"
    return Course(
        title="Spotting and avoiding online scams",
        summary="Five short lessons to help you recognise scam calls and messages, keep your OTP codes secret "
                "and know what to do if you have been tricked.",
        cover="scam-cover",
        lessons=[
            Lesson(
                slug="cuoc-goi-gia-danh", minutes=7,
                title="Calls from fake police, bank or electricity staff",
                summary="Recognise calls from people who pretend to be officials to frighten you into paying.",
                body=[
                    text("<p>Scammers often phone you and say they are the police, bank staff, the electricity "
                         "company or the post office. They sound stern, talk very fast and make you worried. "
                         "They want you to act at once, before you can ask anyone.</p>"),
                    picture(img("scam-call"),
                            "A phone screen showing a call from an unknown number. The caller claims to be the "
                            "police and demands money at once.",
                            "An unknown number, “the police”, “do it now”: be careful."),
                    text("<h2>Things they often say</h2><ul>"
                         "<li>“You are involved in a criminal case. Transfer money to prove you are innocent.”</li>"
                         "<li>“Your bank account is about to be locked.”</li>"
                         "<li>“You owe money for electricity. Your power will be cut in two hours.”</li>"
                         "<li>“Read me the code we just sent to your phone.”</li></ul>"),
                    warning("<p><strong>The police do not ask you to transfer money over the phone.</strong> When "
                            "they need to see you, they send a written invitation or summons. Banks and the "
                            "electricity company never ask for your password or OTP code either.</p>"),
                    text("<h2>What should you do?</h2><p>Stay calm. You do not have to answer straight away. "
                         "Say: “I will go to your office and ask”, then hang up. Next, call your children or a "
                         "relative and tell them what happened. If needed, go to the commune police station or "
                         "to your bank's branch yourself and ask in person.</p>"),
                    tip("<p>Save the phone numbers of your children and of the commune police in your contacts. "
                        "When something strange happens, you can call them at once.</p>"),
                    checklist(practice,
                              "Save a relative's phone number in your contacts under a name that is easy to find.",
                              "Practise saying out loud: “I will go to your office and ask”, then hanging up.",
                              "Tell a friend about a scam call you have heard about."),
                ],
            ),
            Lesson(
                slug="ma-otp", minutes=6,
                title="OTP codes: never give them to anyone",
                summary="An OTP code is the key to your account. Anyone who asks for it is a scammer.",
                body=[
                    text("<p>When you transfer money or log in to your bank's app, your phone often receives a "
                         "text message with an <strong>OTP code</strong>. It is a short number, usually 6 digits, "
                         "that works only once, for a few minutes.</p><p>An OTP code is like the key to a safe. "
                         "Whoever has it can take the money from your account.</p>"),
                    picture(img("scam-otp"),
                            "A text message from a bank with a 6-digit OTP code and the words: never give this "
                            "code to anyone.",
                            "You type the OTP code yourself. You never read it out to anyone."),
                    warning("<p><strong>Never read out, send or photograph an OTP code for anyone</strong>, even "
                            "someone who says they are bank staff, the police or a relative. Real bank staff never "
                            "ask for this code.</p>"),
                    text("<h2>How scammers ask for your OTP code</h2><ul>"
                         "<li>They call and say they “sent a code by mistake” and ask you to read it back.</li>"
                         "<li>They say you have won a prize and need the code to “collect it”.</li>"
                         "<li>They pretend to be your child: “Mum, please read me the code that just came to your "
                         "phone”.</li></ul>"
                         "<p>If anyone asks for an OTP code, know at once: <strong>it is a scam</strong>. Hang up "
                         "and do not answer the message.</p>"),
                    steps("When you get an OTP code you did not ask for",
                          ("<p>Read the message carefully, but do <strong>not</strong> do what a stranger tells "
                           "you.</p>", None, ""),
                          ("<p>Do not tap the link in that message.</p>", None, ""),
                          ("<p>Call your bank's hotline (the number on the back of your ATM card) to ask, and ask "
                           "them to lock your account for a while if needed.</p>", None, "")),
                    tip("<p>If you are afraid of forgetting, write on a piece of paper and stick it next to your "
                        "phone: <strong>“OTP code: never give it to anyone”</strong>.</p>"),
                    checklist(practice,
                              "Open your messages, find an old message with an OTP code and read its warning.",
                              "Write a note saying “OTP code: never give it to anyone” and stick it by your phone.",
                              "Remind someone in your family about this."),
                ],
            ),
            Lesson(
                slug="duong-link-la-va-ung-dung-gia", minutes=7,
                title="Strange links and fake apps",
                summary="Links in messages and apps installed from outside the store can take your money.",
                body=[
                    text("<p>Scammers often send messages with a link, for example: “Your account is locked, tap "
                         "here to unlock it” or “You are due an electricity refund”. If you tap it, you see a "
                         "web page that looks exactly like your bank's. If you type your password there, the "
                         "scammers get it.</p>"),
                    picture(img("scam-sms-link"),
                            "A fake text message saying an account is locked, with a strange link, stamped SCAM "
                            "in red.",
                            "A message threatening to lock your account, with a link: a sign of a scam."),
                    text("<h2>Warning signs</h2><ul>"
                         "<li>The message makes you hurry or feel afraid.</li>"
                         "<li>The link looks odd, is misspelt or ends strangely, like .top, .xyz or .vip.</li>"
                         "<li>The sender is a personal phone number.</li></ul>"
                         "<p>Even when the message shows your bank's name, do not tap the link: scammers can fake "
                         "the sender's name too.</p>"),
                    warning("<p><strong>Never install an app from a link</strong> a stranger sends you by text "
                            "message, Zalo or Facebook. A fake app can read your messages, steal your OTP codes and "
                            "take control of your phone.</p>"),
                    steps("Installing apps safely",
                          ("<p>Only open <strong>Google Play</strong> (Android phones) or the <strong>App "
                           "Store</strong> (iPhone) that came with your phone.</p>", None, ""),
                          ("<p>Type the app's exact name, then check the <strong>developer's name</strong> and the "
                           "number of downloads.</p>", img("scam-store"),
                           "The app store showing a bank app whose developer is the real bank, with a green "
                           "Install button."),
                          ("<p>If you are not sure, ask your children or the community digital technology team "
                           "to check before you tap <strong>Install</strong>.</p>", None, "")),
                    tip("<p>To use your bank account, open the <strong>bank app</strong> you already have. Do not "
                        "tap links in messages.</p>"),
                    checklist(practice,
                              "Delete a strange message with a link from your phone.",
                              "Open Google Play or the App Store and see who developed your bank's app.",
                              "Ask your children to show you how to block an unknown number."),
                ],
            ),
            Lesson(
                slug="kiem-tra-truoc-khi-chuyen-tien", minutes=8,
                title="Stop and check before you transfer money",
                summary="Three simple steps before every transfer someone else asks you to make.",
                body=[
                    text("<p>Many scams end in the same way: <strong>you transfer the money yourself</strong>. So "
                         "before any transfer someone asks you to make, stop for a few minutes and check.</p>"
                         "<p>A common example: someone takes over a friend's Zalo or Facebook account and sends "
                         "“Can you lend me five million? I'll pay you back this afternoon.” Scammers may even make "
                         "a video call of a few seconds, with a face that looks just like your friend.</p>"),
                    steps("Three steps before you transfer money",
                          ("<p><strong>Stop.</strong> Do not transfer straight away, even if they rush you.</p>",
                           img("scam-chat"),
                           "A Zalo message from a friend asking to borrow 5 million dong urgently and asking "
                           "for it quickly."),
                          ("<p><strong>Call back</strong> on the number you saved before, not a number they have "
                           "just sent you.</p>", img("scam-callback"),
                           "A screen calling Hoa on the number saved in the contacts, to check."),
                          ("<p><strong>Read the recipient's name</strong> shown in your bank app. If it is not the "
                           "person you meant to pay, stop.</p>", img("scam-transfer"),
                           "A transfer screen: the recipient's name is Tran Van Binh, not Hoa, and it is marked "
                           "in red as a warning.")),
                    warning("<p>Nobody may ask you to move money into a “safe account” or a “holding account”. "
                            "<strong>That is always a scam.</strong></p>"),
                    video("Watch more video lessons about avoiding scams on the Digital Literacy for All platform",
                          img("scam-video"), SCAM_VIDEO_URL),
                    tip("<p>Agree on a private question with your family, one only they can answer. When someone "
                        "asks you for money urgently, ask that question.</p>"),
                    checklist(practice,
                              "Save the phone numbers of three relatives you rely on.",
                              "Open your bank app, go as far as the recipient's name, then go back without "
                              "transferring.",
                              "Choose a private question with your family to ask when someone wants money fast."),
                ],
            ),
            Lesson(
                slug="lo-bi-lua-lam-gi", minutes=7,
                title="If you have been scammed: what to do, whom to call",
                summary="Act quickly to keep your money and to help the police find the scammers.",
                body=[
                    text("<p>Anyone can be scammed, young or old, with or without schooling. If it happens to you, "
                         "do not be ashamed and do not hide it. The sooner you report it, the better the chance "
                         "of keeping your money.</p>"),
                    picture(img("scam-help"),
                            "Three things to do after a scam: call your bank to lock your account, tell the "
                            "commune police, call 113 in danger."),
                    steps("Do these things now, in this order",
                          ("<p>Call your <strong>bank's hotline</strong> at once (the number on the back of your "
                           "ATM card or in the app) to report it and <strong>lock your account</strong>.</p>",
                           None, ""),
                          ("<p>Change the passwords of your bank app, Zalo and Facebook if you gave them to a "
                           "stranger.</p>", None, ""),
                          ("<p>Go to the nearest <strong>commune police station</strong> to report it. Take your "
                           "citizen ID card, your transfer receipts and the phone with the messages and "
                           "calls.</p>", None, ""),
                          ("<p>If you are in danger or need urgent help, call <strong>113</strong>.</p>", None, "")),
                    tip("<p>Do not delete the messages, the call history or the transfer receipts. They are "
                        "evidence that helps the police and the bank.</p>"),
                    warning("<p>Beware of callers who promise to <strong>“get your money back”</strong> for a fee. "
                            "That is often a second scam.</p>"),
                    text("<p>You can also call or text the <strong>156</strong> hotline, free of charge, to report "
                         "calls and messages that look like scams. The phone companies and the authorities check "
                         "them and block them, so that other people are not tricked.</p>"),
                    checklist(practice,
                              "Find your bank's hotline on the back of your ATM card and save it in your contacts.",
                              "Write down the address of your commune police station.",
                              "Remind your family: if you are scammed, tell us at once, don't hide it."),
                ],
            ),
        ],
    )


# ------------------------------------------------------------------------ course 2 (Vietnamese): VNeID, services

def vneid_course_vi(img: ImageId, recording: int) -> Course:
    practice = "Tự thực hành"
    return Course(
        title="Sử dụng VNeID và dịch vụ công trực tuyến",
        summary="Làm quen với ứng dụng VNeID, tài khoản định danh điện tử mức 2 và cách làm thủ tục trên "
                "Cổng Dịch vụ công quốc gia ngay tại nhà.",
        cover="vneid-cover",
        lessons=[
            Lesson(
                slug="vneid-la-gi", minutes=6,
                title="VNeID là gì?",
                summary="Ứng dụng giấy tờ tùy thân trên điện thoại, và tài khoản mức 1, mức 2 khác nhau thế nào.",
                body=[
                    audio("Nghe bài học (bản ghi âm mẫu)", recording),
                    text("<p>VNeID là ứng dụng định danh điện tử của Bộ Công an. Có thể hiểu đơn giản: đó là "
                         "<strong>giấy tờ tùy thân trên điện thoại</strong>.</p><p>Tài khoản VNeID có hai mức. "
                         "<strong>Mức 1</strong> có các thông tin cơ bản. <strong>Mức 2</strong> được công an "
                         "xác nhận cả ảnh chân dung và vân tay, nên dùng được cho nhiều việc hơn.</p>"),
                    picture(img("vneid-app"),
                            "Điện thoại mở ứng dụng VNeID, trên màn hình có thẻ căn cước điện tử và các mục Ví "
                            "giấy tờ, Dịch vụ công, Thông báo lưu trú.",
                            "Ứng dụng VNeID (hình minh họa)."),
                    text("<h2>VNeID giúp gì cho bạn?</h2><ul>"
                         "<li>Xuất trình thông tin thẻ căn cước khi đi làm thủ tục. Nhiều nơi không cần bạn mang "
                         "thẻ.</li>"
                         "<li>Đưa thẻ bảo hiểm y tế, giấy phép lái xe vào ứng dụng để xuất trình khi cần.</li>"
                         "<li>Đăng nhập Cổng Dịch vụ công quốc gia để nộp hồ sơ tại nhà.</li>"
                         "<li>Thông báo lưu trú khi có khách đến ở, và làm một số thủ tục ngay trên ứng dụng.</li>"
                         "</ul>"),
                    tip("<p>VNeID là ứng dụng <strong>miễn phí</strong>. Không ai được thu tiền để cài đặt hay "
                        "kích hoạt giúp bạn.</p>"),
                    text("<p>Trong các bài sau, bạn sẽ học cách kích hoạt tài khoản, đăng nhập an toàn và làm một "
                         "thủ tục đơn giản. Cứ từ từ, mỗi ngày một bài.</p>"),
                    checklist(practice,
                              "Hỏi người thân xem họ đã có tài khoản VNeID mức 2 chưa.",
                              "Tìm thẻ căn cước của bạn và để ở chỗ dễ lấy.",
                              "Kiểm tra số điện thoại bạn đang dùng có đứng tên chính bạn không."),
                ],
            ),
            Lesson(
                slug="kich-hoat-tai-khoan-muc-2", minutes=10,
                title="Đăng ký và kích hoạt tài khoản mức 2",
                summary="Làm hồ sơ tại công an xã, phường, rồi kích hoạt trên điện thoại của bạn.",
                body=[
                    text("<p>Tài khoản mức 2 được đăng ký <strong>tại công an xã, phường</strong>. Cán bộ công an "
                         "chụp ảnh chân dung, lấy vân tay và ghi số điện thoại của bạn. Khi hồ sơ được duyệt, bạn "
                         "nhận tin nhắn có mã kích hoạt. Nhiều người đã được đăng ký cùng lúc khi làm thẻ căn "
                         "cước. Chưa chắc thì bạn cứ hỏi công an xã, phường.</p>"
                         "<h2>Mang theo khi đi đăng ký</h2><ul><li>Thẻ căn cước gắn chip.</li>"
                         "<li>Điện thoại, với số điện thoại đứng tên chính bạn.</li></ul>"),
                    steps("Kích hoạt trên điện thoại",
                          ("<p>Mở CH Play hoặc App Store, tìm <strong>VNeID</strong>. Xem kỹ nhà phát triển là đơn "
                           "vị thuộc Bộ Công an, rồi bấm <strong>Cài đặt</strong>.</p>", img("vneid-store"),
                           "Cửa hàng ứng dụng hiện ứng dụng VNeID của đơn vị thuộc Bộ Công an, có nút Cài đặt."),
                          ("<p>Mở ứng dụng, chọn kích hoạt tài khoản. Nhập <strong>số định danh cá nhân</strong> "
                           "(12 số trên thẻ căn cước) và số điện thoại.</p>", img("vneid-activate"),
                           "Màn hình kích hoạt tài khoản có ô số định danh cá nhân, số điện thoại và mã kích "
                           "hoạt."),
                          ("<p>Nhập <strong>mã kích hoạt</strong> được gửi về điện thoại qua tin nhắn.</p>", None,
                           ""),
                          ("<p>Đặt <strong>mật khẩu</strong>, rồi đặt <strong>mã khóa 6 số</strong>. Chọn số dễ "
                           "nhớ với bạn nhưng khó đoán với người khác.</p>", img("vneid-passcode"),
                           "Màn hình nhập mã khóa 6 số, các số đã nhập được ẩn thành dấu chấm.")),
                    warning("<p>Cán bộ công an <strong>không gọi điện</strong> bảo bạn bấm link để cài VNeID hay "
                            "đòi “kích hoạt giúp”. Chỉ cài VNeID từ CH Play hoặc App Store.</p>"),
                    tip("<p>Bị kẹt ở bước nào, bạn hãy mang điện thoại đến công an xã, phường, hoặc nhờ tổ công "
                        "nghệ số cộng đồng hướng dẫn.</p>"),
                    checklist(practice,
                              "Tìm ứng dụng VNeID trong CH Play hoặc App Store và đọc tên nhà phát triển.",
                              "Tìm số định danh cá nhân 12 số trên thẻ căn cước của bạn.",
                              "Nghĩ trước một mã khóa 6 số không phải ngày sinh."),
                ],
            ),
            Lesson(
                slug="dang-nhap-an-toan", minutes=6,
                title="Đăng nhập VNeID an toàn",
                summary="Mật khẩu, mã khóa 6 số và vân tay: dùng thế nào cho an toàn.",
                body=[
                    text("<p>Để vào VNeID, bạn đăng nhập bằng số định danh cá nhân và mật khẩu. Sau đó, mỗi lần "
                         "mở ứng dụng, bạn nhập <strong>mã khóa 6 số</strong>, hoặc dùng vân tay, khuôn mặt nếu "
                         "điện thoại có.</p><p>Khi đăng nhập trên một điện thoại mới, ứng dụng sẽ yêu cầu xác "
                         "thực thêm. Đó là để bảo vệ bạn.</p>"),
                    picture(img("vneid-passcode"),
                            "Màn hình nhập mã khóa 6 số của ứng dụng, các số đã nhập được ẩn thành dấu chấm.",
                            "Mã khóa 6 số: chỉ mình bạn biết."),
                    text("<h2>Chọn mật khẩu thế nào?</h2><ul>"
                         "<li>Nên dài ít nhất 8 ký tự, có chữ hoa, chữ thường, chữ số và ký tự đặc biệt như @ "
                         "hay #.</li>"
                         "<li>Không dùng ngày sinh, số điện thoại hay “123456”.</li>"
                         "<li>Ghi vào một cuốn sổ riêng, cất ở nhà. Không ghi lên ốp lưng điện thoại.</li></ul>"),
                    warning("<p>Không cho người lạ mượn điện thoại khi đang mở VNeID. Không đọc mật khẩu, mã khóa "
                            "hay mã kích hoạt cho ai qua điện thoại, kể cả người tự xưng là công an.</p>"),
                    tip("<p>Nếu quên mật khẩu, hãy dùng chức năng <strong>Quên mật khẩu</strong> ngay trong ứng "
                        "dụng. Mã xác nhận chỉ gửi về số điện thoại của bạn.</p>"),
                    checklist(practice,
                              "Mở VNeID và nhập mã khóa 6 số mà không cần nhìn giấy.",
                              "Bật đăng nhập bằng vân tay hoặc khuôn mặt nếu điện thoại có.",
                              "Tự kiểm tra: mật khẩu của bạn có phải ngày sinh không? Nếu có, hãy đổi."),
                ],
            ),
            Lesson(
                slug="cong-dich-vu-cong-quoc-gia", minutes=10,
                title="Làm thủ tục trên Cổng Dịch vụ công quốc gia",
                summary="Đăng nhập bằng VNeID, tìm thủ tục, nộp hồ sơ và ghi lại mã hồ sơ.",
                body=[
                    text("<p>Cổng Dịch vụ công quốc gia có địa chỉ <strong>dichvucong.gov.vn</strong>. Ở đây, "
                         "bạn có thể nộp hồ sơ, theo dõi kết quả và nộp phí cho nhiều thủ tục, không phải đến cơ "
                         "quan nhiều lần.</p><p>Ví dụ dưới đây là xin <strong>phiếu lý lịch tư pháp</strong>, giấy "
                         "tờ hay cần khi đi làm. Các thủ tục khác cũng làm tương tự.</p>"),
                    steps("Các bước nộp hồ sơ",
                          ("<p>Mở trình duyệt, gõ <strong>dichvucong.gov.vn</strong>. Bấm <strong>Đăng nhập</strong> "
                           "và chọn đăng nhập bằng tài khoản định danh điện tử VNeID.</p>", img("dvc-login"),
                           "Trang Cổng Dịch vụ công quốc gia với địa chỉ dichvucong.gov.vn và nút Đăng nhập."),
                          ("<p>Gõ tên thủ tục vào ô tìm kiếm, ví dụ “lý lịch tư pháp”. Chọn đúng thủ tục và nơi "
                           "nộp hồ sơ.</p>", img("dvc-search"),
                           "Ô tìm kiếm có chữ lý lịch tư pháp, bên dưới là thủ tục Cấp phiếu lý lịch tư pháp."),
                          ("<p>Điền tờ khai. Nhiều thông tin như họ tên, ngày sinh được điền sẵn từ tài khoản của "
                           "bạn. Đọc lại thật kỹ.</p>", None, ""),
                          ("<p>Bấm <strong>Nộp hồ sơ</strong>. Ghi lại <strong>mã hồ sơ</strong> để tra cứu kết "
                           "quả sau.</p>", img("dvc-done"),
                           "Thông báo nộp hồ sơ thành công, có dấu tích xanh và mã hồ sơ.")),
                    video("Video hướng dẫn nộp hồ sơ trên Cổng Dịch vụ công quốc gia", img("dvc-video"),
                          PUBLIC_SERVICE_VIDEO_URL),
                    warning("<p>Chỉ dùng đúng địa chỉ <strong>dichvucong.gov.vn</strong>. Trang giả thường có địa "
                            "chỉ na ná, thêm chữ hay dấu gạch ngang. Trang của cơ quan nhà nước có đuôi "
                            "<strong>.gov.vn</strong>.</p>"),
                    tip("<p>Nếu thủ tục có phí, bạn có thể thanh toán trực tuyến ngay trên Cổng. Chưa quen thì "
                        "nhờ nơi tiếp nhận hồ sơ của xã, phường hướng dẫn.</p>"),
                    checklist(practice,
                              "Mở dichvucong.gov.vn trên điện thoại và tìm nút Đăng nhập.",
                              "Gõ thử “lý lịch tư pháp” vào ô tìm kiếm và xem kết quả.",
                              "Tìm mục tra cứu hồ sơ để biết sau này xem kết quả ở đâu."),
                ],
            ),
            Lesson(
                slug="giu-tai-khoan-an-toan", minutes=7,
                title="Giữ tài khoản VNeID an toàn",
                summary="Giữ kín mã số, cập nhật đúng cách và biết làm gì khi mất điện thoại.",
                body=[
                    text("<p>Tài khoản VNeID chứa thông tin cá nhân quan trọng của bạn. Kẻ gian rất muốn chiếm "
                         "được nó để mạo danh bạn, vay tiền hay lừa người khác.</p>"
                         "<h2>Ba điều cần nhớ</h2><ol>"
                         "<li><strong>Giữ kín</strong> mật khẩu, mã khóa 6 số và mã kích hoạt.</li>"
                         "<li><strong>Chỉ cập nhật</strong> VNeID từ CH Play hoặc App Store.</li>"
                         "<li><strong>Cảnh giác</strong> với người tự xưng công an gọi điện “hỗ trợ cập nhật "
                         "VNeID” hay “nâng cấp lên mức 2”.</li></ol>"),
                    picture(img("vneid-safe"),
                            "Tin nhắn giả danh công an phường mời cập nhật VNeID qua một đường link lạ, bị đóng "
                            "dấu đỏ LỪA ĐẢO.",
                            "Không cài hay cập nhật VNeID qua đường link."),
                    warning("<p>Công an không gửi đường link qua tin nhắn hay gọi điện hướng dẫn cài VNeID. Ai làm "
                            "vậy là kẻ lừa đảo: hãy cúp máy và xóa tin nhắn.</p>"),
                    text("<h2>Nếu mất điện thoại</h2><p>Hãy báo ngay cho <strong>công an xã, phường</strong> nơi "
                         "bạn ở để được hướng dẫn khóa tài khoản. Báo cả nhà mạng để khóa SIM. Khi có điện thoại "
                         "mới, bạn cài lại VNeID và đăng nhập như bài trước.</p>"),
                    tip("<p>Khi có bản cập nhật, CH Play hoặc App Store sẽ tự báo cho bạn. Bạn không cần ai gọi "
                        "điện nhắc.</p>"),
                    checklist(practice,
                              "Mở VNeID và xem mục thông tin cá nhân của bạn.",
                              "Kiểm tra VNeID đã là bản mới nhất trên CH Play hoặc App Store chưa.",
                              "Lưu số điện thoại công an xã, phường vào danh bạ."),
                ],
            ),
        ],
    )


# -------------------------------------------------------------------------------------------------------- build

@dataclass
class DemoCourse:
    slug: str
    sequential: bool
    domains: list[str]
    skills: list[str]
    content: Callable[[DemoImages], Course]  # called only when the course has to be created


DEMO_COURSES = [
    DemoCourse(SCAM_SLUG, sequential=True, domains=["4"], skills=["0.2"],
               content=lambda images: scam_course_vi(images.for_language("vi"))),
    DemoCourse(VNEID_SLUG, sequential=False, domains=["1", "2"], skills=["0.1", "0.2"],
               content=lambda images: vneid_course_vi(
                   images.for_language("vi"), demo_audio("[demo] Bản ghi âm mẫu (chưa có lời đọc)").pk)),
]


def build_demo_courses() -> list[CoursePage]:
    """The two Vietnamese demo courses (created once), and the English translation of the scams course."""
    index = ensure_catalogue()
    images = DemoImages(SPECS)
    courses = []
    with transaction.atomic():
        for demo in DEMO_COURSES:
            courses.append(_course(index, demo, images))
        translate_scam_course(courses[0], images)
    return courses


def _course(index: Page, demo: DemoCourse, images: DemoImages) -> CoursePage:
    existing = CoursePage.objects.child_of(index).filter(slug=demo.slug).first()
    if existing:
        return existing
    content = demo.content(images)
    domains = list(CompetenceDomain.objects.filter(code__in=demo.domains))
    skills = list(DigitalSkill.objects.filter(code__in=demo.skills))
    course = CoursePage(
        title=content.title, slug=demo.slug, summary=content.summary, estimated_minutes=content.minutes,
        sequential=demo.sequential, cover_id=images.id(content.cover, "vi"),
    )
    course.domains.set(domains)
    course.skills.set(skills)
    index.add_child(instance=course)
    course.save_revision().publish()
    for item in content.lessons:
        lesson = LessonPage(title=item.title, slug=item.slug, summary=item.summary,
                            estimated_minutes=item.minutes, body=item.body)
        lesson.domains.set(domains)
        lesson.skills.set(skills)
        course.add_child(instance=lesson)
        lesson.save_revision().publish()
    return course


def translate_scam_course(course: CoursePage, images: DemoImages) -> CoursePage:
    """The English scams course, under English copies of the home page and catalogue (made once each).

    Translations are Wagtail copies, so they share the Vietnamese pages' translation keys (and learners' progress).
    """
    english, _ = Locale.objects.get_or_create(language_code="en")
    existing = course.get_translation_or_none(english)
    if existing:
        return existing.specific
    catalogue = course.get_parent().specific
    _translation(catalogue.get_parent().specific, english, **ENGLISH_HOME)
    _translation(catalogue, english, **ENGLISH_CATALOGUE)
    content = scam_course_en(images.for_language("en"))
    translated = _translation(course, english, title=content.title, summary=content.summary,
                              cover_id=images.id(content.cover, "en"))
    by_slug = {lesson.slug: lesson for lesson in content.lessons}
    for lesson in LessonPage.objects.child_of(course).live().order_by("path"):
        item = by_slug.get(lesson.slug)
        fields = {"title": item.title, "summary": item.summary, "body": item.body} if item else {}
        _translation(lesson, english, **fields)
    return translated


def _translation(page: Page, locale: Locale, **fields) -> Page:
    """The page's translation into locale: the existing one untouched, or a new copy with these fields, published."""
    existing = page.get_translation_or_none(locale)
    if existing:
        return existing.specific
    copy = page.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(copy, name, value)
    copy.save_revision().publish()
    return copy


def demo_course_urls() -> list[str]:
    """Where the demo courses are, in every language they exist in (for the seed_demo report)."""
    urls = []
    for course in CoursePage.objects.filter(slug__in=[demo.slug for demo in DEMO_COURSES]).live().order_by("path"):
        urls.append(course.get_url())
    return urls
