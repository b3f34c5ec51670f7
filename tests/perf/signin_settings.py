"""The platform's test settings for a benchmark in which people sign in: the production password
hasher (scrypt) checks their passwords, as it would on report-card day (the tests' MD5 hasher
stays for the other accounts). Hashing is a sign-in's main cost: measuring it with MD5 would
flatter the figures."""

from mbn_platform.config.settings import *  # noqa: F403
from mbn_platform.config.settings import PASSWORD_HASHERS as TEST_HASHERS

PASSWORD_HASHERS = ["django.contrib.auth.hashers.ScryptPasswordHasher", *TEST_HASHERS]
