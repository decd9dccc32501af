"""Draws the app icon (build/icon.png, 512x512): three connected nodes on a blue tile.
Pure Python (zlib + struct), so it needs nothing installed. Run: /usr/bin/python3 scripts/make-icon.py"""
import struct, zlib, math

W = H = 512
bg, fg, edge = (47, 111, 237), (255, 255, 255), (200, 218, 252)
px = [[(0, 0, 0, 0)] * W for _ in range(H)]

def inside_rounded(x, y, r=96):
    cx = min(max(x, r), W - 1 - r)
    cy = min(max(y, r), H - 1 - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r

def seg_dist(px_, py_, ax, ay, bx, by):
    dx, dy = bx - ax, by - ay
    t = max(0, min(1, ((px_ - ax) * dx + (py_ - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px_ - (ax + t * dx), py_ - (ay + t * dy))

nodes = [(150, 170), (150, 350), (370, 260)]
for y in range(H):
    for x in range(W):
        if not inside_rounded(x, y):
            continue
        c = bg
        if seg_dist(x, y, *nodes[0], *nodes[2]) < 14 or seg_dist(x, y, *nodes[1], *nodes[2]) < 14:
            c = edge
        for nx, ny in nodes:
            if abs(x - nx) <= 62 and abs(y - ny) <= 42:
                c = fg
        px[y][x] = (*c, 255)

raw = b''.join(b'\x00' + bytes(v for p in row for v in p) for row in px)
def chunk(tag, data):
    return struct.pack('>I', len(data)) + tag + data + struct.pack('>I', zlib.crc32(tag + data) & 0xffffffff)
png = b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', W, H, 8, 6, 0, 0, 0)) + chunk(b'IDAT', zlib.compress(raw, 9)) + chunk(b'IEND', b'')
open('build/icon.png', 'wb').write(png)
print('wrote build/icon.png')
