"""Cut the small slice of the real twin-city files that the import tests read.

Rows are copied verbatim (same order as the originals) from
../shared/data/twin-cities/ (see its PROVENANCE.md); nothing is edited. Rerun with
`python tests/data/twin-cities/make_slice.py` to rebuild the slice.

The slice holds: the seed cities Beijing (Q956) and Tel Aviv (Q33935); names that
repeat (three Springfields, three Portsmouths, two Londons); the codes that need a
decision (Taiwan CN-TW, Kosovo XK, Northern Cyprus XC, Somaliland XS, Western
Sahara EH, Namibia NA); a quoted name; some of their partners; pairs stated by one
side only; a pair stated in Wikidata but missing from links.tsv; and a few
statements about places that are not in cities.csv.
"""

import csv
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
FULL = HERE.parents[3] / "shared" / "data" / "twin-cities"

CORE = [
    "Q956",
    "Q33935",
    "Q185632",  # Beijing, Tel Aviv, a partner only Wikidata P190 lists
    "Q28515",
    "Q49158",
    "Q40325",  # Springfield x3 (US)
    "Q72259",
    "Q49191",
    "Q342803",  # Portsmouth x3
    "Q92561",
    "Q84",  # London (CA), London (GB)
    "Q25270",
    "Q193190",
    "Q168652",
    "Q614754",
    "Q713310",
    "Q3935",
    "Q506599",
]
PARTNERS_PER_CORE = 2
ONE_SIDED_PAIRS = 3
OUT_OF_SCOPE_ROWS = 4


def read_tsv(path):
    with open(path, encoding="utf-8", newline="") as f:
        return [line.rstrip("\n").split("\t") for line in f]


def main():
    with open(FULL / "wikidata-cities" / "cities.csv", encoding="utf-8", newline="") as f:
        city_lines = f.read().splitlines(keepends=True)
    city_rows = list(csv.reader(city_lines))
    city_ids = {row[0] for row in city_rows[1:]}
    link_rows = read_tsv(FULL / "wikidata-cities" / "links.tsv")
    relation_rows = read_tsv(FULL / "l3viathan-wikidata" / "relations.tsv")
    name_rows = read_tsv(FULL / "l3viathan-wikidata" / "names.tsv")

    chosen = list(CORE)
    for qid in CORE:
        partners = [t if s == qid else s for s, t in link_rows[1:] if qid in (s, t)]
        chosen += partners[:PARTNERS_PER_CORE]
    directions = defaultdict(set)
    for s, t in relation_rows:
        directions[frozenset((s, t))].add((s, t))
    one_sided = [
        p for p, d in directions.items() if len(d) == 1 and p <= city_ids and not p & set(chosen)
    ]
    for pair in sorted(one_sided, key=sorted)[:ONE_SIDED_PAIRS]:
        chosen += sorted(pair)
    chosen = set(chosen)

    out = HERE
    (out / "wikidata-cities").mkdir(exist_ok=True)
    (out / "l3viathan-wikidata").mkdir(exist_ok=True)
    with open(out / "wikidata-cities" / "cities.csv", "w", encoding="utf-8", newline="") as f:
        f.write(city_lines[0])
        f.writelines(
            line
            for line, row in zip(city_lines[1:], city_rows[1:], strict=True)
            if row[0] in chosen
        )
    with open(out / "wikidata-cities" / "links.tsv", "w", encoding="utf-8", newline="") as f:
        f.write("\t".join(link_rows[0]) + "\n")
        f.writelines(f"{s}\t{t}\n" for s, t in link_rows[1:] if s in chosen and t in chosen)
    in_scope = [(s, t) for s, t in relation_rows if s in chosen and t in chosen]
    outside = [(s, t) for s, t in relation_rows if s in chosen and t not in city_ids]
    kept = set(in_scope) | set(outside[:OUT_OF_SCOPE_ROWS])
    relations = [(s, t) for s, t in relation_rows if (s, t) in kept]
    with open(out / "l3viathan-wikidata" / "relations.tsv", "w", encoding="utf-8", newline="") as f:
        f.writelines(f"{s}\t{t}\n" for s, t in relations)
    named = {q for pair in relations for q in pair}
    with open(out / "l3viathan-wikidata" / "names.tsv", "w", encoding="utf-8", newline="") as f:
        f.writelines(f"{q}\t{label}\n" for q, label in name_rows if q in named)


if __name__ == "__main__":
    main()
