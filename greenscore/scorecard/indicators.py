"""The seed indicator catalogue: codes, bilingual names and definitions, anchors, defaults.

Defaults are AMO-wide annual references for a village in its first years in the programme
(baseline year 2024, target year 2030); each village can override them. Flows' baselines
and targets are per year and are scaled to a quarter or a month by the method.
Seeding never overwrites an indicator AMO has edited: it only creates missing codes.
"""

from __future__ import annotations

ETIS = "EU ETIS (2016)"
GSTC = "GSTC Destination Criteria v2.0"
INSTO = "UNWTO INSTO"
C2030 = "UNESCO Culture|2030"


# Each unit in Bahasa Indonesia (the catalogue below names units in English).
UNIT_ID = {
    "seedlings": "bibit",
    "m²": "m²",
    "kg": "kg",
    "h": "jam",
    "actions": "aksi",
    "t CO2e": "t CO2e",
    "guest nights": "malam tamu",
    "%": "%",
    "nights": "malam",
    "IDR": "Rp",
    "performers": "pemain",
    "ratio": "rasio",
    "events": "acara",
    "people": "orang",
    "per 100 residents": "per 100 penduduk",
    "index 0-100": "indeks 0-100",
    "NDSI": "NDSI",
}


def _ind(
    code,
    pillar,
    name_en,
    name_id,
    def_en,
    def_id,
    unit,
    *,
    computation="",
    direction="higher",
    is_flow=True,
    anchor="",
    baseline=0.0,
    target=0.0,
    weight=1.0,
    low=None,
    high=None,
):
    return {
        "code": code,
        "pillar": pillar,
        "name_en": name_en,
        "name_id": name_id,
        "definition_en": def_en,
        "definition_id": def_id,
        "unit_en": unit,
        "unit_id": UNIT_ID[unit],
        "direction": direction,
        "is_flow": is_flow,
        "source": "computed" if computation else "entered",
        "computation": computation,
        "anchor": anchor,
        "default_baseline": baseline,
        "default_baseline_year": 2024,
        "default_target": target,
        "default_target_year": 2030,
        "default_weight": weight,
        "min_value": low,
        "max_value": high,
    }


CATALOGUE: list[dict] = [
    # --- environmental -------------------------------------------------------------
    _ind(
        "env.seedlings_planted",
        "environmental",
        "Seedlings planted",
        "Bibit ditanam",
        "Seedlings counted by species in verified tree, bamboo and mangrove plantings.",
        "Jumlah bibit per jenis pada penanaman pohon, bambu dan mangrove yang terverifikasi.",
        "seedlings",
        computation="seedlings_planted",
        anchor=f"{GSTC} D2; {INSTO}",
        target=2000,
        weight=1.5,
    ),
    _ind(
        "env.instrument_species_planted",
        "environmental",
        "Seedlings of instrument species",
        "Bibit jenis bahan alat musik",
        "Seedlings of species used to make instruments (bamboo for suling, titi for tifa).",
        "Bibit jenis yang dipakai membuat alat musik (bambu untuk suling, titi untuk tifa).",
        "seedlings",
        computation="instrument_species_planted",
        anchor=f"{C2030} 1 (heritage); {GSTC} C",
        target=800,
    ),
    _ind(
        "env.area_restored_m2",
        "environmental",
        "Area restored",
        "Luas lahan dipulihkan",
        "Area of verified plantings: the drawn polygon's metric area, else a quantity in m².",
        "Luas penanaman terverifikasi: luas poligon (metrik), atau jumlah dalam m².",
        "m²",
        computation="area_restored_m2",
        anchor=f"{GSTC} D2.1",
        target=10000,
    ),
    _ind(
        "env.waste_collected_kg",
        "environmental",
        "Waste collected",
        "Sampah terkumpul",
        "Kilograms from verified clean-ups and waste-bank deposits.",
        "Kilogram dari aksi bersih-bersih dan setoran bank sampah yang terverifikasi.",
        "kg",
        computation="waste_collected_kg",
        anchor=f"{ETIS} D.10; {GSTC} D3.4",
        target=1000,
    ),
    _ind(
        "env.volunteer_hours",
        "environmental",
        "Volunteer hours",
        "Jam kerja relawan",
        "Volunteer hours reported in verified conservation actions.",
        "Jam relawan yang dilaporkan pada aksi konservasi terverifikasi.",
        "h",
        computation="volunteer_hours",
        anchor=f"{GSTC} B",
        target=1500,
        weight=0.5,
    ),
    _ind(
        "env.actions_verified",
        "environmental",
        "Conservation actions verified",
        "Aksi konservasi terverifikasi",
        "Number of conservation actions that AMO verified.",
        "Jumlah aksi konservasi yang diverifikasi AMO.",
        "actions",
        computation="actions_verified",
        anchor=INSTO,
        target=24,
        weight=0.5,
    ),
    _ind(
        "env.carbon_stock_tco2e",
        "environmental",
        "Carbon stock in plots",
        "Stok karbon di petak ukur",
        "Above-ground CO2e of trees in permanent plots at the latest census up to the end "
        "of the period (Chave et al. 2014; carbon fraction 0.47).",
        "CO2e di atas tanah dari pohon di petak ukur permanen pada sensus terakhir hingga "
        "akhir periode (Chave dkk. 2014; fraksi karbon 0,47).",
        "t CO2e",
        computation="carbon_stock_tco2e",
        is_flow=False,
        anchor=f"{GSTC} D3.6; {INSTO}",
        baseline=0,
        target=50,
        weight=1.5,
    ),
    _ind(
        "env.soundscape_ndsi",
        "environmental",
        "Soundscape: biophony against anthrophony",
        "Lanskap suara: biofoni dibanding antropofoni",
        "Median NDSI (Kasten 2012; biophony 2-8 kHz, anthrophony 1-2 kHz) of the period's "
        "verified soundscape recordings, each summarised over one-minute windows. -1: only "
        "human noise; +1: only animal sound. No recording: missing, never 0.",
        "Median NDSI (Kasten 2012; biofoni 2-8 kHz, antropofoni 1-2 kHz) dari rekaman lanskap "
        "suara terverifikasi pada periode itu, masing-masing diringkas per jendela satu menit. "
        "-1: hanya bising manusia; +1: hanya suara satwa. Tanpa rekaman: kosong, bukan 0.",
        "NDSI",
        computation="soundscape_ndsi",
        is_flow=False,
        anchor=f"{GSTC} D2; Kasten et al. 2012",
        baseline=0.0,
        target=0.5,
        low=-1.0,
        high=1.0,
    ),
    # --- economic ------------------------------------------------------------------
    _ind(
        "econ.guest_nights",
        "economic",
        "Guest nights",
        "Malam tamu",
        "Nights times guests of verified guest stays at the village's homestays.",
        "Jumlah malam dikali jumlah tamu dari data menginap terverifikasi di homestay desa.",
        "guest nights",
        computation="guest_nights",
        anchor=f"{ETIS} B.1.1; {INSTO}",
        target=1000,
        weight=1.5,
    ),
    _ind(
        "econ.bed_occupancy_pct",
        "economic",
        "Bed occupancy",
        "Tingkat hunian tempat tidur",
        "Guest nights divided by homestay beds times days in the period.",
        "Malam tamu dibagi jumlah tempat tidur homestay dikali jumlah hari periode.",
        "%",
        computation="bed_occupancy_pct",
        is_flow=False,
        anchor=f"{ETIS} B.1.3",
        target=40,
    ),
    _ind(
        "econ.avg_length_of_stay",
        "economic",
        "Average length of stay",
        "Rata-rata lama menginap",
        "Guest nights divided by guests in verified guest stays.",
        "Malam tamu dibagi jumlah tamu pada data menginap terverifikasi.",
        "nights",
        computation="avg_length_of_stay",
        is_flow=False,
        anchor=f"{ETIS} B.1.2",
        baseline=1,
        target=3,
        weight=0.5,
    ),
    _ind(
        "econ.tourism_revenue_idr",
        "economic",
        "Tourism revenue",
        "Pendapatan pariwisata",
        "Revenue of verified guest stays and event reports.",
        "Pendapatan dari data menginap dan laporan acara yang terverifikasi.",
        "IDR",
        computation="tourism_revenue_idr",
        anchor=f"{ETIS} B.1.4; {GSTC} B1",
        target=150_000_000,
        weight=1.5,
    ),
    _ind(
        "econ.local_performers_paid",
        "economic",
        "Local performers paid",
        "Pemain musik lokal yang dibayar",
        "Local performers paid, summed over verified event reports.",
        "Jumlah pemain lokal yang dibayar pada laporan acara terverifikasi.",
        "performers",
        computation="local_performers_paid",
        anchor=f"{C2030} 2; {GSTC} B3",
        target=200,
    ),
    _ind(
        "econ.sroi_ratio",
        "economic",
        "Social return on investment",
        "Social Return on Investment",
        "SROI ratio from an evaluation study (value created per rupiah invested).",
        "Rasio SROI dari studi evaluasi (nilai yang tercipta per rupiah investasi).",
        "ratio",
        is_flow=False,
        anchor="Social Value International SROI guide",
        baseline=1,
        target=3,
        low=0,
    ),
    # --- social --------------------------------------------------------------------
    _ind(
        "soc.events_held",
        "social",
        "Events held",
        "Acara diselenggarakan",
        "Verified event reports: listed events, performances and workshops.",
        "Laporan acara terverifikasi: acara terjadwal, pertunjukan dan lokakarya.",
        "events",
        computation="events_held",
        anchor=f"{C2030} 3; {GSTC} B7",
        target=24,
    ),
    _ind(
        "soc.event_audience",
        "social",
        "Event audience",
        "Penonton acara",
        "Audience summed over verified event reports.",
        "Jumlah penonton pada laporan acara terverifikasi.",
        "people",
        computation="event_audience",
        anchor=C2030,
        target=3000,
    ),
    _ind(
        "soc.youth_participants",
        "social",
        "Youth participants",
        "Peserta pemuda",
        "Youth participants in verified conservation actions and event reports.",
        "Peserta pemuda pada aksi konservasi dan laporan acara terverifikasi.",
        "people",
        computation="youth_participants",
        anchor=f"{C2030} 4; {GSTC} B",
        target=500,
    ),
    _ind(
        "soc.women_participation_pct",
        "social",
        "Women's participation",
        "Partisipasi perempuan",
        "Share of women among participants of verified conservation actions; best at 50%.",
        "Persentase perempuan di antara peserta aksi konservasi terverifikasi; terbaik 50%.",
        "%",
        computation="women_participation_pct",
        direction="band",
        is_flow=False,
        anchor=f"{ETIS} C.2; {GSTC} B6",
        baseline=20,
        target=50,
    ),
    _ind(
        "soc.resident_participation_pct",
        "social",
        "Resident participation",
        "Partisipasi warga",
        "Resident participations in verified conservation actions per 100 inhabitants "
        "(participants minus visitors; one person at two actions counts twice).",
        "Partisipasi warga pada aksi konservasi terverifikasi per 100 penduduk (peserta "
        "dikurangi pengunjung; satu orang di dua aksi dihitung dua kali).",
        "per 100 residents",
        computation="resident_participation_pct",
        anchor=f"{GSTC} A7; {INSTO}",
        target=50,
    ),
    _ind(
        "soc.community_satisfaction_ikm",
        "social",
        "Community satisfaction (IKM)",
        "Indeks Kepuasan Masyarakat (IKM)",
        "Community satisfaction index from a survey, 0 to 100 (PermenPANRB 14/2017).",
        "Indeks kepuasan masyarakat dari survei, 0 sampai 100 (PermenPANRB 14/2017).",
        "index 0-100",
        is_flow=False,
        anchor=f"{ETIS} C.1; {GSTC} A5",
        baseline=60,
        target=88,
        weight=1.5,
        low=0,
        high=100,
    ),
    _ind(
        "soc.visitor_satisfaction_pct",
        "social",
        "Visitor satisfaction",
        "Kepuasan pengunjung",
        "Share of surveyed visitors satisfied or very satisfied.",
        "Persentase pengunjung yang disurvei yang puas atau sangat puas.",
        "%",
        is_flow=False,
        anchor=f"{ETIS} A.2.1; {GSTC} A",
        baseline=60,
        target=90,
        low=0,
        high=100,
    ),
]

CODES: tuple[str, ...] = tuple(item["code"] for item in CATALOGUE)


def seed_catalogue(indicator_model) -> tuple[int, int]:
    """Create missing indicators (never touch existing ones); return (created, kept).

    Takes the model class so a data migration can pass its historical model.
    """
    existing = set(indicator_model.objects.filter(code__in=CODES).values_list("code", flat=True))
    new = [
        indicator_model(order=i, **item)
        for i, item in enumerate(CATALOGUE)
        if item["code"] not in existing
    ]
    indicator_model.objects.bulk_create(new)
    return len(new), len(existing)
