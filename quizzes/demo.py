"""A final test for each demo course, in plain Vietnamese: every kind of question, pictures drawn with Pillow.

`build_demo_quizzes()` is idempotent: a course that already has the demo quiz (by slug) keeps it as editors left
it, pictures are found again by title, and a demo course that does not exist yet is skipped.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files.images import ImageFile
from django.db import transaction
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont

from courses.demo import SCAM_SLUG, VNEID_SLUG
from courses.models import CoursePage

from .grading import IMAGE, MULTIPLE, SINGLE, TRUE_FALSE
from .models import QuizPage

QUIZ_SLUG = "bai-kiem-tra-cuoi-khoa"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
WIDTH, HEIGHT = 400, 225  # shown one per row on a phone, so the words in them stay readable
RIGHT, WRONG = True, False


@dataclass
class Picture:
    """A small drawing: a phone message or a browser address bar."""

    title: str
    kind: str  # "message" or "address"
    text: str
    sender: str = ""
    secure: bool = True


@dataclass
class Question:
    kind: str
    prompt: str
    choices: list[tuple[str, bool]]
    explanation: str
    pictures: list[Picture] = field(default_factory=list)  # one per answer, for picture questions


@dataclass
class DemoQuiz:
    course_slug: str
    title: str
    intro: str
    questions: list[Question]
    competence: str | None = None


def _font(size: int, bold: bool = False):
    path = FONT_DIR / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")
    return ImageFont.truetype(str(path), size) if path.exists() else ImageFont.load_default(size=size)


def _lines(draw: ImageDraw.ImageDraw, text: str, font, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if line and draw.textlength(candidate, font=font) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    return [*lines, line]


def draw_picture(picture: Picture) -> bytes:
    image = PILImage.new("RGB", (WIDTH, HEIGHT), (238, 241, 245))
    draw = ImageDraw.Draw(image)
    if picture.kind == "message":
        draw.text((20, 12), picture.sender, font=_font(22, bold=True), fill=(23, 43, 77))
        draw.rounded_rectangle((12, 46, WIDTH - 12, HEIGHT - 12), radius=22, fill=(255, 255, 255),
                               outline=(201, 206, 212), width=2)
        y, font = 60, _font(23)
        for line in _lines(draw, picture.text, font, WIDTH - 56):
            x = 28
            for word in line.split(" "):  # a web address in blue, as phones show links
                draw.text((x, y), word, font=font, fill=(26, 95, 180) if "://" in word else (33, 37, 41))
                x += draw.textlength(word + " ", font=font)
            y += 31
    else:
        draw.rounded_rectangle((10, 72, WIDTH - 10, 152), radius=40, fill=(255, 255, 255),
                               outline=(201, 206, 212), width=3)
        if picture.secure:  # a padlock
            draw.rounded_rectangle((34, 104, 64, 130), radius=4, fill=(23, 43, 77))
            draw.arc((38, 86, 60, 114), 180, 360, fill=(23, 43, 77), width=5)
        else:  # a warning triangle
            draw.polygon([(49, 88), (30, 130), (68, 130)], fill=(230, 126, 34))
            draw.text((45, 100), "!", font=_font(24, bold=True), fill=(255, 255, 255))
        draw.text((80, 98), picture.text, font=_font(24), fill=(33, 37, 41))
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def picture_image(picture: Picture):
    from wagtail.images.models import Image

    existing = Image.objects.filter(title=picture.title).first()
    if existing:
        return existing
    data = draw_picture(picture)
    name = picture.title.replace(" ", "-").lower() + ".png"
    return Image.objects.create(title=picture.title, file=ImageFile(io.BytesIO(data), name=name))


# ------------------------------------------------------------------------------------------------- the quizzes

SCAM_QUIZ = DemoQuiz(
    course_slug=SCAM_SLUG,
    title="Bài kiểm tra cuối khóa: phòng tránh lừa đảo",
    intro="Mười câu hỏi ngắn về những gì bạn đã học. Đúng 8 câu trở lên là đạt. Không sao nếu chưa đạt: "
          "bạn xem lại bài và làm lại.",
    competence="4",
    questions=[
        Question(SINGLE, "Một người gọi điện xưng là công an, nói bạn liên quan đến một vụ án và bảo bạn chuyển "
                         "tiền vào “tài khoản tạm giữ”. Bạn nên làm gì?",
                 [("Chuyển tiền ngay cho xong chuyện", WRONG),
                  ("Cúp máy, không chuyển tiền, hỏi công an xã, phường hoặc người thân", RIGHT),
                  ("Đọc số tài khoản ngân hàng của mình để họ kiểm tra", WRONG)],
                 "Công an không làm việc qua điện thoại và không bao giờ bảo người dân chuyển tiền. Hãy cúp máy "
                 "rồi hỏi công an nơi bạn ở."),
        Question(TRUE_FALSE, "Nhân viên ngân hàng có thể gọi điện hỏi mã OTP của bạn.",
                 [("Đúng", WRONG), ("Sai", RIGHT)],
                 "Mã OTP chỉ dành riêng cho bạn. Ngân hàng không bao giờ hỏi mã OTP. Ai hỏi là kẻ lừa đảo."),
        Question(MULTIPLE, "Những dấu hiệu nào thường gặp ở tin nhắn lừa đảo? Hãy chọn tất cả các ý đúng.",
                 [("Báo bạn trúng thưởng lớn bất ngờ", RIGHT),
                  ("Thúc giục làm ngay, dọa khóa tài khoản", RIGHT),
                  ("Có đường link lạ bảo bạn bấm vào", RIGHT),
                  ("Tin báo số dư từ tổng đài ngân hàng quen thuộc, không có đường link", WRONG)],
                 "Trúng thưởng bất ngờ, thúc giục gấp gáp và đường link lạ là ba dấu hiệu hay gặp nhất."),
        Question(IMAGE, "Tin nhắn nào trong hai hình là tin nhắn lừa đảo?",
                 [("Tin báo trúng thưởng 50 triệu đồng, kèm đường link lạ", RIGHT),
                  ("Tin ngân hàng báo số dư tăng 500.000 đồng, không có đường link", WRONG)],
                 "Tin nhắn báo trúng thưởng kèm đường link lạ là lừa đảo. Đừng bấm vào link đó.",
                 pictures=[
                     Picture("[demo] Tin nhắn trúng thưởng", "message", "Chúc mừng! Bạn trúng thưởng 50.000.000đ. "
                             "Bấm vào đây để nhận ngay: http://qua-tang-vn.xyz", sender="+84 899 000 111"),
                     Picture("[demo] Tin nhắn báo số dư", "message", "TK 0123xxx789 +500.000đ lúc 10:20 "
                             "26/11. Số dư: 2.350.000đ. ND: Con gửi mẹ", sender="Ngân hàng"),
                 ]),
        Question(SINGLE, "Bạn nhận được tin nhắn có đường link lạ từ một số máy không quen. Bạn nên làm gì?",
                 [("Bấm vào xem thử", WRONG), ("Không bấm, xóa tin nhắn", RIGHT),
                  ("Gửi đường link cho bạn bè xem giúp", WRONG)],
                 "Đường link lạ có thể cài ứng dụng độc hại hoặc lấy mật khẩu của bạn. Đừng bấm, hãy xóa đi."),
        Question(TRUE_FALSE, "Người quen nhắn tin hỏi vay tiền gấp: bạn nên gọi điện trực tiếp cho họ để hỏi lại "
                             "trước khi chuyển tiền.",
                 [("Đúng", RIGHT), ("Sai", WRONG)],
                 "Kẻ gian hay chiếm tài khoản mạng xã hội để hỏi vay. Gọi điện hỏi lại là cách kiểm tra tốt "
                 "nhất."),
        Question(SINGLE, "Nên cài ứng dụng trên điện thoại từ đâu?",
                 [("Từ đường link người lạ gửi", WRONG),
                  ("Từ kho ứng dụng chính thức: CH Play hoặc App Store", RIGHT),
                  ("Từ trang web quảng cáo", WRONG)],
                 "Chỉ cài ứng dụng từ CH Play hoặc App Store, và xem kỹ tên nhà phát triển."),
        Question(MULTIPLE, "Lỡ chuyển tiền cho kẻ lừa đảo, bạn nên làm gì ngay? Hãy chọn tất cả các ý đúng.",
                 [("Gọi ngay tổng đài ngân hàng để báo và nhờ chặn giao dịch", RIGHT),
                  ("Báo công an xã, phường gần nhất", RIGHT),
                  ("Giữ lại tin nhắn, số điện thoại và biên lai chuyển tiền", RIGHT),
                  ("Xóa hết tin nhắn cho đỡ lo", WRONG)],
                 "Báo ngân hàng và công an càng sớm càng tốt, và giữ lại mọi bằng chứng."),
        Question(SINGLE, "Có người gọi xưng là điện lực, nói sẽ cắt điện ngay nếu bạn không chuyển tiền. Đây là:",
                 [("Thông báo thật, phải chuyển tiền ngay", WRONG),
                  ("Dấu hiệu lừa đảo: gấp gáp và đòi chuyển tiền qua điện thoại", RIGHT)],
                 "Điện lực gửi thông báo bằng giấy hoặc qua ứng dụng chính thức, không gọi điện đòi tiền gấp."),
        Question(TRUE_FALSE, "Có thể đọc số căn cước và mã OTP cho người lạ qua điện thoại nếu họ nói là để "
                             "“xác minh”.",
                 [("Đúng", WRONG), ("Sai", RIGHT)],
                 "Không bao giờ đọc mã OTP, mật khẩu cho ai. Số căn cước cũng chỉ đưa khi đi làm thủ tục."),
    ],
)

VNEID_QUIZ = DemoQuiz(
    course_slug=VNEID_SLUG,
    title="Bài kiểm tra cuối khóa: VNeID và dịch vụ công",
    intro="Tám câu hỏi ngắn. Đúng 7 câu trở lên là đạt. Bạn có thể làm lại nhiều lần.",
    competence="1",
    questions=[
        Question(SINGLE, "VNeID là gì?",
                 [("Ứng dụng định danh điện tử của Bộ Công an: giấy tờ tùy thân trên điện thoại", RIGHT),
                  ("Một mạng xã hội để kết bạn", WRONG), ("Ứng dụng của ngân hàng", WRONG)],
                 "VNeID là ứng dụng định danh điện tử của Bộ Công an, miễn phí."),
        Question(TRUE_FALSE, "Phải trả tiền cho người đến nhà để được cài đặt và kích hoạt VNeID.",
                 [("Đúng", WRONG), ("Sai", RIGHT)],
                 "VNeID miễn phí. Không ai được thu tiền để cài đặt hay kích hoạt giúp bạn."),
        Question(SINGLE, "Tài khoản VNeID mức 2 được đăng ký ở đâu?",
                 [("Tại công an xã, phường", RIGHT), ("Qua đường link trong tin nhắn", WRONG),
                  ("Ở cửa hàng điện thoại", WRONG)],
                 "Mức 2 được đăng ký tại công an xã, phường: cán bộ chụp ảnh chân dung và lấy vân tay."),
        Question(MULTIPLE, "Mật khẩu nào là KHÔNG nên dùng? Hãy chọn tất cả các ý đúng.",
                 [("Ngày sinh của bạn", RIGHT), ("123456", RIGHT), ("Số điện thoại của bạn", RIGHT),
                  ("Một cụm dài có chữ hoa, chữ thường, số và ký tự như @", WRONG)],
                 "Ngày sinh, số điện thoại, “123456” rất dễ đoán. Hãy dùng mật khẩu dài, có cả chữ, số và ký "
                 "tự đặc biệt."),
        Question(IMAGE, "Địa chỉ nào là Cổng Dịch vụ công quốc gia thật?",
                 [("dichvucong.gov.vn, có biểu tượng ổ khóa", RIGHT),
                  ("dichvucong-gov.vn.xyz, có dấu cảnh báo", WRONG)],
                 "Trang của cơ quan nhà nước có đuôi .gov.vn. Trang giả có địa chỉ na ná, thêm chữ hoặc dấu "
                 "gạch ngang.",
                 pictures=[
                     Picture("[demo] Địa chỉ dichvucong.gov.vn", "address", "dichvucong.gov.vn", secure=True),
                     Picture("[demo] Địa chỉ giả dichvucong-gov", "address", "dichvucong-gov.vn.xyz", secure=False),
                 ]),
        Question(SINGLE, "Nộp hồ sơ xong trên Cổng Dịch vụ công, bạn cần ghi lại gì?",
                 [("Mã hồ sơ, để tra cứu kết quả sau", RIGHT), ("Mật khẩu VNeID", WRONG),
                  ("Không cần ghi gì", WRONG)],
                 "Mã hồ sơ giúp bạn tra cứu kết quả. Mật khẩu thì không ghi ra chỗ người khác thấy."),
        Question(TRUE_FALSE, "Công an có thể gọi điện, gửi đường link để hướng dẫn bạn cập nhật VNeID.",
                 [("Đúng", WRONG), ("Sai", RIGHT)],
                 "Công an không gửi đường link hay gọi điện hướng dẫn cài VNeID. Ai làm vậy là kẻ lừa đảo."),
        Question(MULTIPLE, "Mất điện thoại có cài VNeID, bạn nên làm gì? Hãy chọn tất cả các ý đúng.",
                 [("Báo công an xã, phường để được hướng dẫn khóa tài khoản", RIGHT),
                  ("Báo nhà mạng để khóa SIM", RIGHT), ("Chờ vài tháng xem có ai trả lại không", WRONG)],
                 "Báo công an và nhà mạng ngay. Khi có điện thoại mới, cài lại VNeID và đăng nhập."),
    ],
)

DEMO_QUIZZES = [SCAM_QUIZ, VNEID_QUIZ]


def _question_value(question: Question, competence_id: int | None) -> dict:
    images = [picture_image(picture).pk for picture in question.pictures] or [None] * len(question.choices)
    return {
        "kind": question.kind, "prompt": question.prompt, "image": None, "image_alt": "",
        "explanation": question.explanation, "competence": competence_id,
        "choices": [{"text": text, "is_correct": right, "image": image}
                    for (text, right), image in zip(question.choices, images, strict=True)],
    }


def build_demo_quizzes() -> list[QuizPage]:
    """The final test of each demo course, created once; courses not built yet are skipped."""
    from courses.models import CompetenceDomain

    quizzes = []
    with transaction.atomic():
        for demo in DEMO_QUIZZES:
            course = CoursePage.objects.filter(slug=demo.course_slug, locale__language_code="vi").first()
            if course is None:
                continue
            existing = QuizPage.objects.child_of(course).filter(slug=QUIZ_SLUG).first()
            if existing:
                quizzes.append(existing)
                continue
            domain = CompetenceDomain.objects.filter(code=demo.competence).first() if demo.competence else None
            quiz = QuizPage(
                title=demo.title, slug=QUIZ_SLUG, intro=demo.intro, is_final=True, pass_mark=80,
                shuffle_choices=True, max_attempts=0, wait_minutes=0, feedback=QuizPage.FEEDBACK_EACH,
                questions=[{"type": "question", "value": _question_value(question, getattr(domain, "pk", None))}
                           for question in demo.questions],
            )
            course.add_child(instance=quiz)
            quiz.save_revision().publish()
            quizzes.append(quiz)
    return quizzes
