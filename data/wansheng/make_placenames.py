#!/usr/bin/env python3
"""Writes data/wansheng/placenames.csv, the demo district's place names.

Deterministic (a fixed seed): running it again writes the same file. What is
real and what is synthetic is in README.md next to this script; in short, the
district's and the ten towns' and streets' names are real, every code below
the county prefix 500110, every village, community, road and landmark name,
every coordinate and every outline is made up, and every row says
is_synthetic=1.

    python3 data/wansheng/make_placenames.py > data/wansheng/placenames.csv
"""
import csv
import random
import sys

rng = random.Random(20261129)

# Real names (rules.md 11.2); synthetic township codes: streets 001-099 and
# towns 100-199 as the statistical code convention has it (rules.md 11.3).
TOWNS = [
    ("万盛街道", "street", "001"), ("东林街道", "street", "002"),
    ("万东镇", "town", "101"), ("南桐镇", "town", "102"), ("青年镇", "town", "103"),
    ("关坝镇", "town", "104"), ("丛林镇", "town", "105"), ("石林镇", "town", "106"),
    ("金桥镇", "town", "107"), ("黑山镇", "town", "108"),
]
# Where each sits in the synthetic 5 x 2 grid (column, row): the two streets
# in the middle. Not the real map.
CELLS = {"金桥镇": (0, 1), "丛林镇": (1, 1), "万盛街道": (2, 1), "关坝镇": (3, 1),
         "青年镇": (4, 1), "石林镇": (0, 0), "万东镇": (1, 0), "东林街道": (2, 0),
         "南桐镇": (3, 0), "黑山镇": (4, 0)}

VILLAGE_STEMS = list("青红石桂新龙双白凉梨松长高团响茶枫竹鱼柏桃杨花金银古水田河岩坪坝湾沟塘山林")
VILLAGE_ENDS = ["山", "岩", "门", "花", "华", "泉", "河", "果", "风", "园", "林", "岭", "峰",
                "结", "水", "坝", "香", "湾", "田", "树", "坪", "塘", "溪", "桥"]
COMMUNITIES = ["新城", "建设", "和平", "锦华", "滨河", "文化", "阳光", "桃园", "金城", "繁荣",
               "育才", "光明", "兴隆", "民主", "东升", "幸福", "友谊", "富民", "朝阳", "春晖",
               "惠民", "翠屏", "紫荆", "沙坝", "明珠", "映山", "望江", "华庭",
               "福源", "双桥", "锦江", "瑞丰", "祥和", "安居", "金穗", "清泉", "嘉禾", "鹏程",
               "星光", "怡和"]
ROADS = ["建设路", "人民路", "滨河路", "新华路", "团结路", "胜利路", "友谊路", "兴业路",
         "文化路", "迎宾路", "青山路", "光明路", "和平路", "育才路", "龙泉路", "松林路",
         "花园路", "桃源路", "锦绣路", "福康路", "振兴路", "平安路"]

# The synthetic grid around 106.9 E, 28.95 N: vertices jittered, each edge
# bent at a jittered midpoint shared by the two cells on either side, so the
# outlines tile without overlapping.
LNG0, LAT0, DLNG, DLAT = 106.775, 28.87, 0.05, 0.08
VERT = {(i, j): (LNG0 + i * DLNG + (rng.uniform(-0.008, 0.008) if 0 < i < 5 else 0),
                 LAT0 + j * DLAT + (rng.uniform(-0.01, 0.01) if 0 < j < 2 else 0))
        for i in range(6) for j in range(3)}
MID = {}


def mid(a, b):
    key = (min(a, b), max(a, b))
    if key not in MID:
        (x1, y1), (x2, y2) = VERT[key[0]], VERT[key[1]]
        MID[key] = ((x1 + x2) / 2 + rng.uniform(-0.006, 0.006),
                    (y1 + y2) / 2 + rng.uniform(-0.006, 0.006))
    return MID[key]


def micro(v):
    return round(v * 1e6)


def deg(m):
    s = "%s%d.%06d" % ("-" if m < 0 else "", abs(m) // 1000000, abs(m) % 1000000)
    return s.rstrip("0").rstrip(".")


def ring(corners):
    """Closed counter-clockwise ring through corners with edge midpoints."""
    pts = []
    for k, c in enumerate(corners):
        pts.append(VERT[c])
        pts.append(mid(c, corners[(k + 1) % len(corners)]))
    pts.append(pts[0])
    return "[[" + ",".join("[%s,%s]" % (deg(micro(x)), deg(micro(y))) for x, y in pts) + "]]"


def cell_point(i, j, u, v):
    """Bilinear point in cell (i, j); u, v in [0, 1]."""
    a, b, c, d = VERT[(i, j)], VERT[(i + 1, j)], VERT[(i + 1, j + 1)], VERT[(i, j + 1)]
    x = (1 - v) * ((1 - u) * a[0] + u * b[0]) + v * ((1 - u) * d[0] + u * c[0])
    y = (1 - v) * ((1 - u) * a[1] + u * b[1]) + v * ((1 - u) * d[1] + u * c[1])
    return deg(micro(x)), deg(micro(y))


def district_ring():
    corners = [(i, 0) for i in range(5)] + [(5, j) for j in range(2)] + \
              [(i, 2) for i in range(5, 0, -1)] + [(0, j) for j in range(2, 0, -1)]
    return ring(corners)


used_names = set()


def village_name():
    while True:
        n = rng.choice(VILLAGE_STEMS) + rng.choice(VILLAGE_ENDS) + "村"
        if n not in used_names and n[0] != n[1]:
            used_names.add(n)
            return n


def community_names(k):
    names = rng.sample([c for c in COMMUNITIES if c not in used_names], k)
    used_names.update(names)
    return [n + "社区" for n in names]


HEADER = ["kind", "name", "region_code", "parent_code", "parent_name", "aliases", "lng", "lat",
          "outline", "is_synthetic"]
out = csv.writer(sys.stdout, lineterminator="\n")
out.writerow(HEADER)
DISTRICT = "500110000000"
out.writerow(["district", "万盛经开区", DISTRICT, "", "", "万盛|万盛经济技术开发区", "106.9", "28.95",
              district_ring(), 1])
for name, kind, tcode in TOWNS:
    i, j = CELLS[name]
    code = "500110" + tcode + "000"
    lng, lat = cell_point(i, j, 0.5, 0.5)
    outline = ring([(i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1)])
    out.writerow([kind, name, code, DISTRICT, "", "", lng, lat, outline, 1])
    rows = []
    if kind == "street":
        for k, cname in enumerate(community_names(rng.randint(8, 10))):
            rows.append(("community", cname, code[:9] + "%03d" % (k + 1)))
    else:
        for k, cname in enumerate(community_names(2)):
            rows.append(("community", cname, code[:9] + "%03d" % (k + 1)))
        for k in range(rng.randint(7, 11)):
            rows.append(("village", village_name(), code[:9] + "%03d" % (200 + k + 1)))
    for vkind, vname, vcode in rows:
        lng, lat = cell_point(i, j, rng.uniform(0.15, 0.85), rng.uniform(0.15, 0.85))
        out.writerow([vkind, vname, vcode, code, "", "", lng, lat, "", 1])
    roads = rng.sample(ROADS, 2)
    for road in roads:
        lng, lat = cell_point(i, j, rng.uniform(0.3, 0.7), rng.uniform(0.3, 0.7))
        out.writerow(["road", road, "", code, "", "", lng, lat, "", 1])
    lng, lat = cell_point(i, j, 0.52, 0.48)
    out.writerow(["landmark", name + "便民服务中心", "", code, "", "", lng, lat, "", 1])
    lng, lat = cell_point(i, j, 0.55, 0.5)
    out.writerow(["building", roads[0] + "1号", "", code, roads[0], "", lng, lat, "", 1])
