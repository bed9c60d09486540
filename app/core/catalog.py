"""The seeded service catalogue: stable codes used by aspirations (requested services), visits and the API."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ServiceType:
    code: str
    name: str
    sector: str  # the OPD sector that delivers it (same codes as opd.<sector> users)
    group: str
    unit: str


SERVICE_TYPES: dict[str, ServiceType] = {
    s.code: s
    for s in (
        ServiceType("perekaman_ktp_el", "Perekaman KTP-el", "adminduk", "Administrasi kependudukan", "orang"),
        ServiceType("cetak_ktp_el", "Cetak KTP-el", "adminduk", "Administrasi kependudukan", "keping"),
        ServiceType("kk", "Kartu Keluarga (KK)", "adminduk", "Administrasi kependudukan", "dokumen"),
        ServiceType("kia", "Kartu Identitas Anak (KIA)", "adminduk", "Administrasi kependudukan", "keping"),
        ServiceType("akta_kelahiran", "Akta kelahiran", "adminduk", "Administrasi kependudukan", "dokumen"),
        ServiceType("akta_kematian", "Akta kematian", "adminduk", "Administrasi kependudukan", "dokumen"),
        ServiceType("aktivasi_ikd", "Aktivasi Identitas Kependudukan Digital (IKD)", "adminduk",
                    "Administrasi kependudukan", "orang"),
        ServiceType("pindah_datang", "Surat pindah/datang", "adminduk", "Administrasi kependudukan", "dokumen"),
        ServiceType("pemeriksaan_kesehatan", "Pemeriksaan kesehatan", "kesehatan", "Kesehatan", "orang"),
        ServiceType("imunisasi", "Imunisasi", "kesehatan", "Kesehatan", "anak"),
        ServiceType("skrining_stunting", "Skrining stunting", "kesehatan", "Kesehatan", "anak"),
        ServiceType("pendaftaran_bpjs", "Pendaftaran BPJS/KIS", "kesehatan", "Kesehatan", "orang"),
        ServiceType("pip", "PIP/beasiswa", "pendidikan", "Pendidikan", "siswa"),
        ServiceType("kembali_sekolah", "Anak putus sekolah kembali sekolah", "pendidikan", "Pendidikan", "anak"),
        ServiceType("kip", "Kartu Indonesia Pintar (KIP)", "pendidikan", "Pendidikan", "siswa"),
        ServiceType("pendaftaran_dtsen", "Pendaftaran DTKS/DTSEN", "sosial", "Sosial", "keluarga"),
        ServiceType("bansos", "Bantuan sosial", "sosial", "Sosial", "keluarga"),
        ServiceType("nib", "NIB/UMKM", "perizinan", "Perizinan", "usaha"),
    )
}
