#!/usr/bin/env python3
"""Generates a registry of N organizations for the demo region (Altai Krai), as a Russian
Excel CSV (Windows-1251, ';') or XLSX: one founder per ten rows, founders written after their
subordinates, municipalities by name or OKTMO, sectors by name. Deterministic.

    python3 bench/gen_orgs.py 20000 target/bench/orgs-20000.csv
"""
import csv
import io
import random
import sys

CITIES = ["Барнаул", "Бийск", "Рубцовск", "Новоалтайск", "Заринск", "Камень-на-Оби", "Славгород", "Алейск", "Белокуриха", "Яровое"]
SECTORS = ["Образование", "Здравоохранение", "Культура", "Социальная защита", "Физическая культура и спорт", "Молодёжная политика"]


def inn(p):
    w = [2, 4, 10, 3, 5, 9, 4, 6, 8]
    return p + str(sum(int(d) * k for d, k in zip(p, w)) % 11 % 10)


def ogrn(p):
    return p + str(int(p) % 11 % 10)


def rows(n):
    rnd = random.Random(20261128)
    yield ["Наименование", "Краткое наименование", "ИНН", "ОГРН", "Уровень", "Учредитель", "Муниципалитет", "Отрасль 1", "Отрасль 2", "Основание освобождения"]
    for block in range(0, n, 10):
        founder_ogrn = ogrn(f"1132200{block // 10:05d}")
        city = rnd.randrange(len(CITIES))
        place = f"город {CITIES[city]}" if rnd.random() < 0.5 else f"01{701 + city:03d}000"
        for k in range(1, min(10, n - block)):
            i = block + k
            yield [
                f"МБОУ «Школа № {i}» ({CITIES[city]})", f"Школа № {i}", inn(f"23{i:07d}"), ogrn(f"1142200{i:05d}"),
                "Муниципальное учреждение", founder_ogrn, place, rnd.choice(SECTORS), rnd.choice(["", rnd.choice(SECTORS)]), "",
            ]
        yield [
            f"Комитет по образованию № {block // 10} ({CITIES[city]})", "", inn(f"24{block // 10:07d}"), founder_ogrn,
            "ОМСУ", "", place, "Образование", "", "",
        ]


def main():
    n, path = int(sys.argv[1]), sys.argv[2]
    data = list(rows(n))
    if path.endswith(".xlsx"):
        import openpyxl
        wb = openpyxl.Workbook(write_only=True)
        ws = wb.create_sheet("Реестр")
        for r in data:
            ws.append(r)
        wb.save(path)
    else:
        buf = io.StringIO()
        w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
        w.writerows(data)
        with open(path, "wb") as f:
            f.write(buf.getvalue().encode("cp1251"))


if __name__ == "__main__":
    main()
