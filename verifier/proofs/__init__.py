"""Proof formats: OB2 JWS (jws.py), Data Integrity (data_integrity.py), VC-JWT (vcjwt.py)."""
