"""Draw the sample case's photos (content/<bundle>/*.jpg) with Pillow: no third-party photos
in the repository. Ten scenes of a community service centre, drawn from rectangles,
gradients and a little grain so they compress like photos. Deterministic (seeded).

    .venv/bin/python scripts/make_sample_photos.py content/shanghai-xinhua-community-centre
"""

from __future__ import annotations

import random
import sys
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

W, H = 1400, 934
Colour = tuple[int, int, int]
Scene = Callable[[ImageDraw.ImageDraw, random.Random], None]


def gradient(top: Colour, bottom: Colour) -> Image.Image:
    """A vertical gradient, the sky or a lit wall."""
    column = Image.new("RGB", (1, H))
    for y in range(H):
        t = y / (H - 1)
        column.putpixel((0, y), tuple(round(a + (b - a) * t) for a, b in zip(top, bottom)))  # type: ignore[arg-type]
    return column.resize((W, H))


def person(d: ImageDraw.ImageDraw, x: int, y: int, scale: float, shirt: Colour, rng: random.Random) -> None:
    """A standing figure whose feet are at (x, y)."""
    h = int(260 * scale)
    w = int(70 * scale)
    d.rounded_rectangle((x - w // 2, y - h * 0.72, x + w // 2, y - h * 0.3), radius=int(18 * scale), fill=shirt)
    d.rectangle((x - w // 2 + 6, y - h * 0.32, x + w // 2 - 6, y), fill=(52, 58, 72))
    skin = rng.choice([(233, 196, 160), (214, 170, 130), (240, 205, 175)])
    r = int(24 * scale)
    d.ellipse((x - r, y - h * 0.72 - 2 * r, x + r, y - h * 0.72), fill=skin)
    d.pieslice((x - r, y - h * 0.72 - 2 * r - 2, x + r, y - h * 0.72 - 4), 180, 360, fill=(40, 34, 30))


def seated(d: ImageDraw.ImageDraw, x: int, y: int, scale: float, shirt: Colour, rng: random.Random) -> None:
    """A figure seated behind a table whose top is at y."""
    r = int(22 * scale)
    d.rounded_rectangle((x - 34 * scale, y - 95 * scale, x + 34 * scale, y), radius=int(14 * scale), fill=shirt)
    skin = rng.choice([(233, 196, 160), (214, 170, 130)])
    d.ellipse((x - r, y - 95 * scale - 2 * r, x + r, y - 95 * scale), fill=skin)
    hair = rng.choice([(40, 34, 30), (200, 200, 205), (90, 80, 70)])
    d.pieslice((x - r, y - 95 * scale - 2 * r - 2, x + r, y - 95 * scale - 6), 180, 360, fill=hair)


def floor_and_walls(d: ImageDraw.ImageDraw, wall: Colour, floor: Colour) -> None:
    d.rectangle((0, 0, W, H * 0.62), fill=wall)
    d.polygon([(0, H * 0.62), (W, H * 0.62), (W, H), (0, H)], fill=floor)
    for i in range(-8, 9):  # floor tiles in perspective
        d.line([(W / 2 + i * 40, H * 0.62), (W / 2 + i * 260, H)], fill=tuple(c - 14 for c in floor), width=2)


def exterior(d: ImageDraw.ImageDraw, rng: random.Random) -> None:
    d.rectangle((120, 250, 1280, 760), fill=(226, 220, 206))
    d.rectangle((120, 230, 1280, 262), fill=(160, 48, 40))
    d.rectangle((470, 282, 930, 340), fill=(178, 34, 34))
    for i in range(6):
        d.rectangle((500 + i * 70, 296, 548 + i * 70, 326), fill=(250, 214, 120))
    for row in range(2):
        for col in range(8):
            x = 170 + col * 140
            d.rectangle((x, 380 + row * 150, x + 90, 470 + row * 150), fill=(120, 160, 190))
            d.line([(x + 45, 380 + row * 150), (x + 45, 470 + row * 150)], fill=(230, 230, 230), width=4)
    d.rectangle((620, 620, 780, 760), fill=(90, 70, 55))
    d.rectangle((0, 760, W, H), fill=(150, 150, 146))
    for x in (60, 1340):
        d.rectangle((x - 10, 500, x + 10, 780), fill=(96, 70, 50))
        d.ellipse((x - 110, 330, x + 110, 560), fill=(70, 128, 70))
    for i in range(5):
        person(d, 300 + i * 190 + rng.randint(-30, 30), 850 + rng.randint(-20, 20), 0.7,
               rng.choice([(40, 90, 160), (190, 60, 60), (230, 180, 60), (80, 140, 90)]), rng)


def hall(d: ImageDraw.ImageDraw, rng: random.Random) -> None:
    floor_and_walls(d, (238, 232, 218), (196, 170, 134))
    d.rectangle((430, 120, 970, 420), fill=(60, 66, 80))
    d.rectangle((450, 140, 950, 400), fill=(80, 130, 180))
    d.rectangle((520, 190, 880, 230), fill=(245, 245, 245))
    d.rectangle((520, 260, 800, 280), fill=(230, 236, 240))
    d.rectangle((520, 300, 840, 320), fill=(230, 236, 240))
    for row in range(3):
        for col in range(5):
            x, y = 220 + col * 240 + row * 20, 640 + row * 110
            seated(d, x, y, 0.8 + row * 0.15, rng.choice([(40, 90, 160), (200, 70, 60), (70, 70, 80)]), rng)
            d.rectangle((x - 80, y, x + 80, y + 18), fill=(150, 100, 60))


def counter(d: ImageDraw.ImageDraw, rng: random.Random) -> None:
    floor_and_walls(d, (232, 238, 242), (200, 200, 196))
    d.rectangle((100, 90, 1300, 170), fill=(178, 34, 34))
    for i in range(4):
        x = 160 + i * 300
        d.rectangle((x, 210, x + 240, 260), fill=(40, 90, 160))
        d.rectangle((x + 20, 225, x + 220, 245), fill=(235, 240, 250))
    d.rectangle((80, 520, 1320, 640), fill=(210, 196, 170))
    d.rectangle((80, 500, 1320, 530), fill=(170, 150, 120))
    for i in range(4):
        seated(d, 280 + i * 300, 500, 1.0, (40, 90, 160), rng)
        d.rectangle((230 + i * 300, 430, 330 + i * 300, 495), fill=(50, 50, 56))
    for i in range(3):
        person(d, 380 + i * 330 + rng.randint(-20, 20), 900, 1.05, rng.choice([(120, 120, 126), (200, 150, 60)]), rng)


def canteen(d: ImageDraw.ImageDraw, rng: random.Random) -> None:
    floor_and_walls(d, (246, 236, 214), (186, 160, 120))
    d.rectangle((0, 200, W, 380), fill=(250, 246, 236))
    d.rectangle((180, 300, 1220, 420), fill=(196, 196, 200))
    for i in range(6):
        d.ellipse((220 + i * 165, 320, 340 + i * 165, 380), fill=rng.choice([(220, 120, 60), (90, 150, 70),
                                                                            (240, 200, 100)]))
    for row in range(2):
        for col in range(3):
            cx, cy = 300 + col * 400, 640 + row * 170
            d.ellipse((cx - 140, cy - 30, cx + 140, cy + 30), fill=(166, 110, 70))
            for k in (-90, 90):
                seated(d, cx + k, cy - 20, 0.75 + row * 0.15, rng.choice([(200, 200, 205), (150, 60, 60),
                                                                           (60, 100, 150)]), rng)


def library(d: ImageDraw.ImageDraw, rng: random.Random) -> None:
    floor_and_walls(d, (226, 214, 190), (170, 130, 90))
    for s in range(3):
        x0 = 80 + s * 440
        d.rectangle((x0, 120, x0 + 380, 600), fill=(120, 80, 50))
        for shelf in range(5):
            y = 140 + shelf * 92
            x = x0 + 14
            while x < x0 + 360:
                bw = rng.randint(12, 26)
                d.rectangle((x, y + rng.randint(0, 20), x + bw, y + 80),
                            fill=rng.choice([(170, 40, 40), (40, 80, 140), (220, 190, 90), (60, 120, 80),
                                             (230, 230, 220)]))
                x += bw + 3
    d.rectangle((300, 700, 1100, 740), fill=(150, 100, 60))
    for i in range(4):
        seated(d, 380 + i * 200, 700, 0.9, rng.choice([(230, 180, 60), (40, 90, 160), (90, 160, 120)]), rng)


def elderly(d: ImageDraw.ImageDraw, rng: random.Random) -> None:
    floor_and_walls(d, (242, 228, 208), (190, 168, 140))
    d.rectangle((150, 110, 650, 400), fill=(200, 60, 50))
    d.rectangle((180, 140, 620, 370), fill=(246, 226, 190))
    for i in range(4):
        d.line([(210, 180 + i * 50), (590, 180 + i * 50)], fill=(60, 50, 40), width=6)
    d.rectangle((800, 140, 1250, 420), fill=(120, 160, 190))
    d.rectangle((820, 160, 1230, 400), fill=(170, 205, 225))
    for i in range(2):
        cx = 420 + i * 560
        d.rectangle((cx - 160, 640, cx + 160, 680), fill=(100, 140, 100))
        for k in (-110, 0, 110):
            seated(d, cx + k, 640, 0.95, rng.choice([(200, 200, 205), (170, 60, 60), (110, 90, 140)]), rng)


def volunteers(d: ImageDraw.ImageDraw, rng: random.Random) -> None:
    d.rectangle((0, 560, W, H), fill=(140, 140, 136))
    d.rectangle((0, 420, W, 560), fill=(90, 140, 80))
    d.rectangle((200, 380, 1200, 420), fill=(200, 40, 40))
    d.rectangle((200, 300, 1200, 382), fill=(250, 250, 250))
    d.rectangle((260, 320, 1140, 360), fill=(200, 40, 40))
    d.rectangle((300, 600, 1100, 650), fill=(40, 90, 160))
    for i in range(7):
        person(d, 220 + i * 160 + rng.randint(-20, 20), 880, 1.0, (200, 40, 40), rng)


def garden(d: ImageDraw.ImageDraw, rng: random.Random) -> None:
    d.rectangle((0, 520, W, H), fill=(96, 150, 80))
    d.polygon([(560, H), (840, H), (760, 520), (640, 520)], fill=(190, 180, 160))
    for i in range(9):
        x = 60 + i * 160 + rng.randint(-20, 20)
        d.rectangle((x - 9, 380, x + 9, 560), fill=(100, 72, 50))
        d.ellipse((x - 90, 230, x + 90, 430), fill=(60 + rng.randint(0, 30), 120 + rng.randint(0, 30), 60))
    for _ in range(30):
        x, y = rng.randint(0, W), rng.randint(620, H)
        d.ellipse((x - 9, y - 9, x + 9, y + 9), fill=rng.choice([(240, 200, 60), (230, 100, 120), (250, 250, 250)]))
    person(d, 500, 820, 0.9, (60, 100, 160), rng)
    person(d, 900, 780, 0.8, (200, 150, 60), rng)


def meeting(d: ImageDraw.ImageDraw, rng: random.Random) -> None:
    floor_and_walls(d, (236, 232, 226), (170, 150, 130))
    d.rectangle((400, 90, 1000, 170), fill=(178, 34, 34))
    d.rectangle((440, 115, 960, 145), fill=(250, 214, 120))
    d.ellipse((300, 470, 1100, 760), fill=(130, 86, 52))
    angles = [(-300, 0), (-170, -90), (0, -110), (170, -90), (300, 0), (-190, 110), (190, 110)]
    for dx, dy in angles:
        seated(d, 700 + dx, 610 + dy, 0.9, rng.choice([(40, 90, 160), (70, 70, 80), (200, 200, 205)]), rng)
    d.ellipse((340, 510, 1060, 720), fill=(150, 100, 62))


def evening(d: ImageDraw.ImageDraw, rng: random.Random) -> None:
    d.rectangle((160, 300, 1240, 780), fill=(70, 66, 76))
    d.rectangle((480, 330, 920, 390), fill=(220, 60, 50))
    for row in range(2):
        for col in range(7):
            x = 210 + col * 145
            lit = rng.random() < 0.8
            d.rectangle((x, 430 + row * 160, x + 95, 530 + row * 160), fill=(250, 214, 130) if lit else (50, 60, 80))
    d.rectangle((0, 780, W, H), fill=(60, 60, 66))
    for x in (80, 1320):
        d.rectangle((x - 6, 520, x + 6, 790), fill=(40, 40, 44))
        d.ellipse((x - 30, 490, x + 30, 540), fill=(255, 236, 170))
    for i in range(4):
        person(d, 400 + i * 200, 880, 0.75, rng.choice([(200, 60, 60), (60, 100, 160), (200, 200, 205)]), rng)


SCENES: dict[str, tuple[Colour, Colour, Scene]] = {
    "exterior": ((142, 192, 232), (220, 234, 244), exterior),
    "hall": ((238, 232, 218), (238, 232, 218), hall),
    "counter": ((232, 238, 242), (232, 238, 242), counter),
    "canteen": ((246, 236, 214), (246, 236, 214), canteen),
    "library": ((226, 214, 190), (226, 214, 190), library),
    "elderly": ((242, 228, 208), (242, 228, 208), elderly),
    "volunteers": ((150, 196, 236), (226, 238, 246), volunteers),
    "garden": ((160, 206, 240), (230, 240, 246), garden),
    "meeting": ((236, 232, 226), (236, 232, 226), meeting),
    "evening": ((30, 40, 80), (120, 90, 110), evening),
}


def draw(name: str) -> Image.Image:
    top, bottom, scene = SCENES[name]
    rng = random.Random(name)
    img = gradient(top, bottom)
    scene(ImageDraw.Draw(img), rng)
    # Soft focus and a little sensor grain, as a phone photo has.
    img = img.filter(ImageFilter.GaussianBlur(1.4))
    grain = Image.effect_noise((W, H), 10).convert("RGB")
    return Image.blend(img, grain, 0.04)


def main(folder: str) -> None:
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    for name in SCENES:
        draw(name).save(out / f"{name}.jpg", quality=62, optimize=True, progressive=True)
    total = sum((out / f"{n}.jpg").stat().st_size for n in SCENES)
    print(f"{len(SCENES)} photos, {total // 1024} KB in {out}")


if __name__ == "__main__":
    main(sys.argv[1])
