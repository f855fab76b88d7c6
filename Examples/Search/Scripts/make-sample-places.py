#!/usr/bin/env python3
"""Writes Fixtures/places.geojson: the search service's sample places.

A GeoJSON FeatureCollection of named polygons around four cities (Berlin, London, New York,
São Paulo), named like "Mitte Block 17". Deterministic: a fixed seed and nothing else, so running
it again gives the same bytes. Coordinates are rounded to 5 decimals (about 1 m).

Shapes are star-shaped (so often concave) rings of 5-12 vertices around a random centre. Blocks of
one district overlap one another here and there. Every 9th feature is a MultiPolygon of two or
three parts, every 13th polygon has a hole (a smaller star inside, well clear of the outer ring).

Usage: Scripts/make-sample-places.py [OUTPUT]   (default: Fixtures/places.geojson)
"""
import json
import math
import os
import random
import sys

SEED = 20240517

# city: (latitude, longitude, districts)
CITIES = [
    ("Berlin", 52.52, 13.40, ["Mitte", "Kreuzberg", "Prenzlauer Berg", "Friedrichshain", "Neukölln",
                              "Charlottenburg", "Moabit", "Wedding", "Schöneberg"]),
    ("London", 51.507, -0.128, ["Westminster", "Camden", "Islington", "Hackney", "Southwark",
                                "Lambeth", "Shoreditch", "Soho", "Bermondsey"]),
    ("New York", 40.713, -74.006, ["Tribeca", "SoHo", "Chelsea", "Midtown", "Harlem",
                                   "Williamsburg", "Greenpoint", "Astoria", "Dumbo"]),
    ("São Paulo", -23.55, -46.633, ["Sé", "República", "Pinheiros", "Vila Madalena", "Moema",
                                    "Liberdade", "Bela Vista", "Consolação", "Itaim Bibi"]),
]
BLOCKS_PER_DISTRICT = 10          # 4 cities x 9 districts x 10 = 360 features
DISTRICT_SPREAD = 0.06            # degrees: district centres within this of the city centre
BLOCK_SPREAD = 0.012              # degrees: block centres within this of the district centre


def rnd(x):
    return round(x, 5)


def star(rng, lat, lng, radius, vertices):
    """A closed ring [lng, lat] of `vertices` points at radii in [0.6, 1] x radius, angles
    evenly spaced with jitter. Longitude is stretched by 1/cos(lat) so shapes look round."""
    stretch = 1 / math.cos(math.radians(lat))
    start = rng.uniform(0, 2 * math.pi)
    ring = []
    for i in range(vertices):
        angle = start + 2 * math.pi * (i + rng.uniform(-0.3, 0.3)) / vertices
        r = radius * rng.uniform(0.6, 1.0)
        ring.append([rnd(lng + r * math.cos(angle) * stretch), rnd(lat + r * math.sin(angle))])
    ring.append(list(ring[0]))
    return ring


def polygon(rng, lat, lng, radius, with_hole):
    outer = star(rng, lat, lng, radius, rng.randint(5, 12))
    if not with_hole:
        return [outer]
    # Outer vertices are at >= 0.6 r and consecutive ones at most 1.6 x 2π/5 = 115° apart, so every
    # edge keeps at least 0.6 r cos(57.6°) ≈ 0.32 r from the centre; a hole of radius <= 0.25 r
    # stays inside with room to spare after rounding.
    hole = star(rng, lat, lng, radius * 0.25, rng.randint(4, 7))
    hole.reverse()  # RFC 7946: holes clockwise
    return [outer, hole]


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "Fixtures", "places.geojson")
    out = os.path.normpath(out)
    rng = random.Random(SEED)
    features = []
    n = 0
    for city, clat, clng, districts in CITIES:
        for district in districts:
            dlat = clat + rng.uniform(-DISTRICT_SPREAD, DISTRICT_SPREAD)
            dlng = clng + rng.uniform(-DISTRICT_SPREAD, DISTRICT_SPREAD)
            numbers = rng.sample(range(1, 60), BLOCKS_PER_DISTRICT)
            for number in numbers:
                n += 1
                lat = dlat + rng.uniform(-BLOCK_SPREAD, BLOCK_SPREAD)
                lng = dlng + rng.uniform(-BLOCK_SPREAD, BLOCK_SPREAD)
                radius = rng.uniform(0.001, 0.004)
                if n % 9 == 0:
                    parts = []
                    for _ in range(rng.randint(2, 3)):
                        plat = lat + rng.uniform(-0.006, 0.006)
                        plng = lng + rng.uniform(-0.006, 0.006)
                        parts.append(polygon(rng, plat, plng, radius * 0.7, with_hole=False))
                    geometry = {"type": "MultiPolygon", "coordinates": parts}
                else:
                    geometry = {"type": "Polygon",
                                "coordinates": polygon(rng, lat, lng, radius, with_hole=(n % 13 == 0))}
                features.append({
                    "type": "Feature",
                    "properties": {"name": f"{district} Block {number}", "city": city},
                    "geometry": geometry,
                })

    names = [f["properties"]["name"] for f in features]
    assert len(set(names)) == len(names), "names must be unique"
    with open(out, "w", encoding="utf-8") as f:
        f.write('{"type": "FeatureCollection", "features": [\n')
        f.write(",\n".join(json.dumps(feature, ensure_ascii=False, separators=(",", ":"))
                           for feature in features))
        f.write("\n]}\n")
    print(f"{out}: {len(features)} features, {os.path.getsize(out)} bytes")


if __name__ == "__main__":
    main()
