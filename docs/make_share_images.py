"""Draws the committed favicon and share card (static/favicon.ico, static/img/*.png).

Run once with Pillow (not a dependency of the app): python docs/make_share_images.py
"""

from PIL import Image, ImageDraw, ImageFont

BRAND = (11, 79, 108)
WHITE = (255, 255, 255)
SOFT = (217, 232, 239)


def mark(size):
    s = size * 4
    im = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    d = ImageDraw.Draw(im)
    d.rounded_rectangle([0, 0, s - 1, s - 1], radius=s * 6 // 32, fill=BRAND)
    w = max(1, s * 25 // 320)
    r = s * 6 // 32
    for cx in (s * 10 // 32, s * 22 // 32):
        d.ellipse([cx - r, s // 2 - r, cx + r, s // 2 + r], outline=WHITE, width=w)
    return im.resize((size, size), Image.LANCZOS)


mark(256).save("static/favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])
mark(180).save("static/img/apple-touch-icon.png")
mark(32).save("static/img/favicon-32.png")
card = Image.new("RGB", (1200, 630), BRAND)
d = ImageDraw.Draw(card)
for cx in (170, 330):
    d.ellipse([cx - 100, 215, cx + 100, 415], outline=WHITE, width=14)
bold = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", 64)
reg = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 34)
d.text((500, 235), "City partnerships", font=bold, fill=WHITE)
d.text((500, 335), "Twin cities, liaison offices", font=reg, fill=SOFT)
d.text((500, 385), "and the sources behind them", font=reg, fill=SOFT)
card.save("static/img/share-card.png", optimize=True)
