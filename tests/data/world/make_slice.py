"""Cut the slice of the real data that the world-record tests read (tests/data/world/).

Rows are copied verbatim from the project's own data/ (see data/README.md), in
their original order; nothing is edited. Rerun with
`python tests/data/world/make_slice.py` to rebuild it. What it holds, by trap:

- the Wikipedia lists (A): Beijing–Tel Aviv (also in the Wikidata sets, in the other
  order); "Montevideo, United States" and "Florence, United States" (geocoded to the
  namesakes in Uruguay and Italy); Stari Grad (Sarajevo), a district; "Georgia" as
  the country and as the US state; Whitby under "England" and under "England, United
  Kingdom"; Görlitz (Germany), which the Wikidata cities place in Poland.
- the Czech partnerships (D): a row with year 0 (unknown), the impossible year
  37546, and dated rows, one of a pair the Wikipedia lists also name.
- Natural Earth names (E) for every Wikidata city of the slice.
"""

import csv
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
DATA = ROOT / "data"
OLD_SLICE = ROOT / "tests" / "data" / "twin-cities"

A_NAMES = {
    "Beijing",
    "Tel Aviv",
    "Montevideo",
    "Florence",
    "Stari Grad (Sarajevo)",
    "Whitby",
    "Görlitz",
    "Tbilisi",
    "Kobuleti",
    "Batumi",
}
A_EXTRA_LINES = {30, 2554, 4243, 25851, 25884, 255, 297, 321}
D_LINES = {2, 10, 29, 77}


def lines(path):
    with open(path, encoding="utf-8", newline="") as f:
        return f.read().splitlines(keepends=True)


def main():
    a_lines = lines(DATA / "twin-cities" / "hekman-wikipedia" / "twin_cities.csv")
    a_keep = [a_lines[0]]
    georgia_us = 0
    for n, raw in enumerate(a_lines[1:], start=2):
        row = next(csv.reader([raw]))
        names = {row[0], row[4]}
        if n in A_EXTRA_LINES or (names & A_NAMES and ("Whitby" in names or "Görlitz" in names)):
            a_keep.append(raw)
        elif "Georgia" in (row[1], row[5]) and georgia_us < 2:
            lng = float(row[3] if row[1] == "Georgia" else row[7])
            if lng < 0:
                georgia_us += 1
                a_keep.append(raw)
    d_lines = lines(DATA / "twin-cities" / "czech-partnerska-mesta" / "vztahy.tsv")
    d_keep = [d_lines[0]] + [d_lines[n - 1] for n in sorted(D_LINES) if n > 1]
    # a Czech pair that the Wikipedia lists name too
    a_pairs = set()
    for raw in a_lines[1:]:
        row = next(csv.reader([raw]))
        a_pairs.add(frozenset((row[0], row[4])))
    for raw in d_lines[1:]:
        cells = raw.rstrip("\r\n").split("\t")
        if frozenset((cells[3], cells[8])) in a_pairs and cells[10].strip() not in ("", "0"):
            d_keep.append(raw)
            for raw_a in a_lines[1:]:
                row = next(csv.reader([raw_a]))
                if frozenset((row[0], row[4])) == frozenset((cells[3], cells[8])):
                    a_keep.append(raw_a)
                    break
            break

    # C and B: the old slice plus the Wikidata cities the new rows name
    c_lines = lines(DATA / "twin-cities" / "wikidata-cities" / "cities.csv")
    named = set()
    for raw in a_keep[1:]:
        row = next(csv.reader([raw]))
        named |= {row[0], row[4]}
    old_ids = {
        next(csv.reader([r]))[0] for r in lines(OLD_SLICE / "wikidata-cities" / "cities.csv")[1:]
    }
    c_keep = [c_lines[0]]
    for raw in c_lines[1:]:
        row = next(csv.reader([raw]))
        if row[0] in old_ids or row[1] in named:
            c_keep.append(raw)
    ids = {next(csv.reader([r]))[0] for r in c_keep[1:]}
    l_lines = lines(DATA / "twin-cities" / "wikidata-cities" / "links.tsv")
    l_keep = [l_lines[0]] + [r for r in l_lines[1:] if set(r.rstrip("\r\n").split("\t")) <= ids]
    e_lines = lines(DATA / "city-names" / "naturalearth" / "ne_10m_populated_places.new_names.csv")
    e_keep = [e_lines[0]] + [
        r for r in e_lines[1:] if next(csv.reader([r.lstrip("\ufeff")]))[0] in ids
    ]

    out = HERE / "twin-cities"
    for sub, name, kept in (
        ("hekman-wikipedia", "twin_cities.csv", a_keep),
        ("czech-partnerska-mesta", "vztahy.tsv", d_keep),
        ("wikidata-cities", "cities.csv", c_keep),
        ("wikidata-cities", "links.tsv", l_keep),
    ):
        (out / sub).mkdir(parents=True, exist_ok=True)
        (out / sub / name).write_text("".join(kept), encoding="utf-8")
    for name in ("names.tsv", "relations.tsv"):
        (out / "l3viathan-wikidata").mkdir(parents=True, exist_ok=True)
        (out / "l3viathan-wikidata" / name).write_text(
            "".join(lines(OLD_SLICE / "l3viathan-wikidata" / name)), encoding="utf-8"
        )
    names = HERE / "city-names" / "naturalearth"
    names.mkdir(parents=True, exist_ok=True)
    (names / "ne_10m_populated_places.new_names.csv").write_text("".join(e_keep), encoding="utf-8")
    print(
        len(a_keep) - 1,
        "A rows;",
        len(d_keep) - 1,
        "D rows;",
        len(c_keep) - 1,
        "cities;",
        len(l_keep) - 1,
        "links;",
        len(e_keep) - 1,
        "name rows",
    )


if __name__ == "__main__":
    main()
