"""Every example packet of HJ 212-2017 Appendix C (Tables C.1–C.50) and the Appendix A CRC example.

The examples were extracted from the official PDF with ``pdftotext -layout`` and the lines of each
packet joined; spaces that stand *inside* a printed line (``CP=&& PolId``) are the standard's own.
The examples are bare data segments without length or CRC (only Appendix A prints a whole frame),
so each is framed here with the Appendix A CRC and then parsed.

Inconsistencies of the standard itself, recorded as the expected violations below:

* ``…`` ("and so on") ends the CP area of C.14–C.23, C.29 and C.47–C.50: not a field
  (``cp-field-syntax``) or a non-ASCII value character (``non-ascii``).
* C.14 writes ``01018-Rtd`` for ``w01018-Rtd`` (``cp-factor-code``, and ``,`` then joins
  different items: ``cp-record``).
* C.19 lacks the ``;`` before ``CP`` (``Flag=5CP=&&``); C.22 and C.48 write ``QN=…534,ST=32``.
* C.23 and C.41 join ``BeginTime`` and ``EndTime`` with ``,`` (different items: ``cp-record``).
* C.29 uses the process code ``e01001`` (§6.4.1 has no process type 0) and sends it twice.
* C.35 and C.36 write ``CTime`` where Table 4 defines ``Ctime`` (names are case-sensitive).
* Spaces around fields: C.2, C.3, C.4, C.25, C.28, C.34, C.42, C.43, C.44, C.45; an area of only a
  space (``CP=&& &&``) in C.4 and C.13.
* C.43's request answer carries QN ``20101110010101001``, not the QN of the request it answers;
  C.40/C.42/C.43 print ``DataTime=20100301145000`` where the text explains ``20160801085857``.
* Appendix A's prose gives the CRC as ``1C08``; the packet and the algorithm give ``1C80``.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import NamedTuple

import pytest

from ecogov.standards.hj212 import (
    BEIJING,
    HJ212_2017,
    HJ212Error,
    build_packet,
    crc16_hj212,
    format_crc,
    frame_segment,
    parse_packet,
)
from ecogov.standards.hj212.errors import ViolationCode as V


class Example(NamedTuple):
    """One packet printed in Appendix C and the rules it breaks (empty when it is clean)."""

    table: str
    text: str
    defects: frozenset[V]


EXAMPLES = [
    Example(
        "C.1",
        (
            "QN=20160801085857223;ST=32;CN=1000;PW=123456;MN=010000A8900016F000169DC0;Flag=5;"
            "CP=&&OverTime=5;ReCount=3&&"
        ),
        frozenset(),
    ),
    Example(
        "C.1",
        (
            "QN=20160801085857223;ST=91;CN=9011;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&QnRtn=1&&"
        ),
        frozenset(),
    ),
    Example(
        "C.1",
        (
            "QN=20160801085857223;ST=91;CN=9012;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&ExeRtn=1&&"
        ),
        frozenset(),
    ),
    Example(
        "C.2",
        (
            "QN=20160801085857223;ST=32;CN=1011;PW=123456;MN=010000A8900016F000169DC0;Flag=5;"
            "CP=&&PolId=w01018&&"
        ),
        frozenset(),
    ),
    Example(
        "C.2",
        (
            "QN=20160801085857223;ST=91;CN=9011;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&QnRtn=1&&"
        ),
        frozenset(),
    ),
    Example(
        "C.2",
        (
            "QN=20160801085857223;ST=32;CN=1011;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&& PolId=w01018;SystemTime=20160801085857&&"
        ),
        frozenset({V.FIELD_WHITESPACE}),
    ),
    Example(
        "C.2",
        (
            "QN=20160801085857223;ST=91;CN=9012;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&ExeRtn=1&&"
        ),
        frozenset(),
    ),
    Example(
        "C.3",
        (
            "QN=20160801085857223;ST=32;CN=1012;PW=123456;MN=010000A8900016F000169DC0;Flag=5;"
            "CP=&&PolId=w01018;SystemTime=20160801085857&&"
        ),
        frozenset(),
    ),
    Example(
        "C.3",
        (
            "QN=20160801085857223;ST=91;CN=9011;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&QnRtn=1&&"
        ),
        frozenset(),
    ),
    Example(
        "C.3",
        (
            "QN=20160801085857223;ST=91;CN=9012;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&& ExeRtn=1&&"
        ),
        frozenset({V.FIELD_WHITESPACE}),
    ),
    Example(
        "C.4",
        (
            "QN=20160801085857223;ST=32;CN=1013;PW=123456;MN=010000A8900016F000169DC0;Flag=5;"
            "CP=&& PolId=w01018&&"
        ),
        frozenset({V.FIELD_WHITESPACE}),
    ),
    Example(
        "C.4",
        (
            "QN=20160801085857223;ST=91;CN=9013;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&& &&"
        ),
        frozenset({V.CP_FIELD_SYNTAX}),
    ),
    Example(
        "C.5",
        ("QN=20160801085857223;ST=32;CN=1061;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&&&"),
        frozenset(),
    ),
    Example(
        "C.5",
        (
            "QN=20160801085857223;ST=91;CN=9011;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&QnRtn=1&&"
        ),
        frozenset(),
    ),
    Example(
        "C.5",
        (
            "QN=20160801085857223;ST=32;CN=1061;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&RtdInterval=30&&"
        ),
        frozenset(),
    ),
    Example(
        "C.5",
        (
            "QN=20160801085857223;ST=91;CN=9012;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&ExeRtn=1&&"
        ),
        frozenset(),
    ),
    Example(
        "C.6",
        (
            "QN=20160801085857223;ST=32;CN=1062;PW=123456;MN=010000A8900016F000169DC0;Flag=5;"
            "CP=&&RtdInterval=30&&"
        ),
        frozenset(),
    ),
    Example(
        "C.6",
        (
            "QN=20160801085857223;ST=91;CN=9011;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&QnRtn=1&&"
        ),
        frozenset(),
    ),
    Example(
        "C.6",
        (
            "QN=20160801085857223;ST=91;CN=9012;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&ExeRtn=1&&"
        ),
        frozenset(),
    ),
    Example(
        "C.7",
        ("QN=20160801085857223;ST=32;CN=1063;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&&&"),
        frozenset(),
    ),
    Example(
        "C.7",
        (
            "QN=20160801085857223;ST=91;CN=9011;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&QnRtn=1&&"
        ),
        frozenset(),
    ),
    Example(
        "C.7",
        (
            "QN=20160801085857223;ST=32;CN=1063;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&MinInterval=10&&"
        ),
        frozenset(),
    ),
    Example(
        "C.7",
        (
            "QN=20160801085857223;ST=91;CN=9012;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&ExeRtn=1&&"
        ),
        frozenset(),
    ),
    Example(
        "C.8",
        (
            "QN=20160801085857223;ST=32;CN=1064;PW=123456;MN=010000A8900016F000169DC0;Flag=5;"
            "CP=&&MinInterval=10&&"
        ),
        frozenset(),
    ),
    Example(
        "C.8",
        (
            "QN=20160801085857223;ST=91;CN=9011;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&QnRtn=1&&"
        ),
        frozenset(),
    ),
    Example(
        "C.8",
        (
            "QN=20160801085857223;ST=91;CN=9012;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&ExeRtn=1&&"
        ),
        frozenset(),
    ),
    Example(
        "C.9",
        (
            "QN=20160801085857223;ST=32;CN=1072;PW=123456;MN=010000A8900016F000169DC0;Flag=5;"
            "CP=&&NewPW=654321&&"
        ),
        frozenset(),
    ),
    Example(
        "C.9",
        (
            "QN=20160801085857223;ST=91;CN=9011;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&QnRtn=1&&"
        ),
        frozenset(),
    ),
    Example(
        "C.9",
        (
            "QN=20160801085857223;ST=91;CN=9012;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&ExeRtn=1&&"
        ),
        frozenset(),
    ),
    Example(
        "C.10",
        ("QN=20160801085857223;ST=32;CN=2011;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&&&"),
        frozenset(),
    ),
    Example(
        "C.10",
        (
            "QN=20160801085857223;ST=91;CN=9011;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&QnRtn=1&&"
        ),
        frozenset(),
    ),
    Example(
        "C.10",
        (
            "QN=20160801085857223;ST=91;CN=9012;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&ExeRtn=1&&"
        ),
        frozenset(),
    ),
    Example(
        "C.11",
        ("QN=20160801085857223;ST=32;CN=2012;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&&&"),
        frozenset(),
    ),
    Example(
        "C.11",
        ("QN=20160801085857223;ST=91;CN=9013;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&&&"),
        frozenset(),
    ),
    Example(
        "C.12",
        ("QN=20160801085857223;ST=32;CN=2021;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&&&"),
        frozenset(),
    ),
    Example(
        "C.12",
        (
            "QN=20160801085857223;ST=91;CN=9011;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&QnRtn=1&&"
        ),
        frozenset(),
    ),
    Example(
        "C.12",
        (
            "QN=20160801085857223;ST=91;CN=9012;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&ExeRtn=1&&"
        ),
        frozenset(),
    ),
    Example(
        "C.13",
        ("QN=20160801085857223;ST=32;CN=2022;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&&&"),
        frozenset(),
    ),
    Example(
        "C.13",
        (
            "QN=20160801085857223;ST=91;CN=9013;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&& &&"
        ),
        frozenset({V.CP_FIELD_SYNTAX}),
    ),
    Example(
        "C.14",
        (
            "QN=20160801085857223;ST=32;CN=2011;PW=123456;MN=010000A8900016F000169DC0;Flag=5;"
            "CP=&&DataTime=20160801085857;w01001-Rtd=7.1,w01001-Flag=N;w01018-SampleTime=2016"
            "0801070000,01018-Rtd=2.2,w01018-Flag=N,w01018-EFlag=A01;…&&"
        ),
        frozenset({V.CP_FACTOR_CODE, V.CP_FIELD_SYNTAX, V.CP_RECORD}),
    ),
    Example(
        "C.14",
        ("QN=20160801085857223;ST=91;CN=9014;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&&&"),
        frozenset(),
    ),
    Example(
        "C.15",
        (
            "QN=20160801085857223;ST=32;CN=2021;PW=123456;MN=010000A8900016F000169DC0;Flag=5;"
            "CP=&&DataTime=20160801085857;SB1-RS=1;SB2-RS=0…&&"
        ),
        frozenset({V.NON_ASCII}),
    ),
    Example(
        "C.15",
        ("QN=20160801085857223;ST=91;CN=9014;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&&&"),
        frozenset(),
    ),
    Example(
        "C.16",
        (
            "QN=20160801085000001;ST=32;CN=2051;PW=123456;MN=010000A8900016F000169DC0;Flag=5;"
            "CP=&&DataTime=20160801084000;w00000-Cou=10.5,w00000-Min=16.4,w00000-Avg=17.5,w00"
            "000-Max=20.1,w00000-Flag=N;w01001-Min=7.1,w01001-Avg=7.5,w01001-Max=7.8,w01001-F"
            "lag=N;w01018-Cou=10.5,w01018-Min=40.1,w01018-Avg=40.1,w01018-Max=40.1,w01018-Fla"
            "g=N;…&&"
        ),
        frozenset({V.CP_FIELD_SYNTAX}),
    ),
    Example(
        "C.16",
        ("QN=20160801085000001;ST=91;CN=9014;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&&&"),
        frozenset(),
    ),
    Example(
        "C.17",
        (
            "QN=20160801090000001;ST=32;CN=2061;PW=123456;MN=010000A8900016F000169DC0;Flag=5;"
            "CP=&&DataTime=20160801080000;w00000-Cou=63.0,w00000-Min=16.4,w00000-Avg=17.5,w00"
            "000-Max=20.1,w00000-Flag=N;w01001-Min=7.1,w01001-Avg=7.5,w01001-Max=7.8,w01001-F"
            "lag=N;w01018-Cou=63.0,w01018-Min=40.1,w01018-Avg=40.1,w01018-Max=40.1,w01018-Fla"
            "g=N;…&&"
        ),
        frozenset({V.CP_FIELD_SYNTAX}),
    ),
    Example(
        "C.17",
        ("QN=20160801090000001;ST=91;CN=9014;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&&&"),
        frozenset(),
    ),
    Example(
        "C.18",
        (
            "QN=20160802000000001;ST=32;CN=2031;PW=123456;MN=010000A8900016F000169DC0;Flag=5;"
            "CP=&&DataTime=20160801000000;w00000-Cou=1512.0,w00000-Min=16.4,w00000-Avg=17.5,w"
            "00000-Max=20.1,w00000-Flag=N;w01001-Min=7.1,w01001-Avg=7.5,w01001-Max=7.8,w01001"
            "-Flag=N;w01018-Cou=2142.0,w01018-Min=40.1,w01018-Avg=40.1,w01018-Max=40.1,w01018"
            "-Flag=N;…&&"
        ),
        frozenset({V.CP_FIELD_SYNTAX}),
    ),
    Example(
        "C.18",
        ("QN=20160802000000001;ST=91;CN=9014;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&&&"),
        frozenset(),
    ),
    Example(
        "C.19",
        (
            "QN=20160802000000001;ST=32;CN=2041;PW=123456;MN=010000A8900016F000169DC0;Flag=5C"
            "P=&&DataTime=20160801000000;SB1-RT=1.1;SB2-RT=2.1…&&"
        ),
        frozenset({V.NON_ASCII, V.SEGMENT_SEPARATOR}),
    ),
    Example(
        "C.19",
        ("QN=20160802000000001;ST=91;CN=9014;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&&&"),
        frozenset(),
    ),
    Example(
        "C.20",
        (
            "QN=20160801085857223;ST=32;CN=2051;PW=123456;MN=010000A8900016F000169DC0;Flag=5;"
            "CP=&&BeginTime=20160801084000;EndTime=20160801084000&&"
        ),
        frozenset(),
    ),
    Example(
        "C.20",
        (
            "QN=20160801085857223;ST=91;CN=9011;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&QnRtn=1&&"
        ),
        frozenset(),
    ),
    Example(
        "C.20",
        (
            "QN=20160801085857534;ST=32;CN=2051;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&DataTime=20160801084000;w00000-Cou=10.5,w00000-Min=16.4,w00000-Avg=17.5,w00"
            "000-Max=20.1,w00000-Flag=N;w01001-Min=7.1,w01001-Avg=7.5,w01001-Max=7.8,w01001-F"
            "lag=N;w01018-Cou=10.5,w01018-Min=40.1,w01018-Avg=40.1,w01018-Max=40.1,w01018-Fla"
            "g=N;…&&"
        ),
        frozenset({V.CP_FIELD_SYNTAX}),
    ),
    Example(
        "C.20",
        (
            "QN=20160801085857223;ST=91;CN=9012;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&ExeRtn=1&&"
        ),
        frozenset(),
    ),
    Example(
        "C.21",
        (
            "QN=20160801085857223;ST=32;CN=2061;PW=123456;MN=010000A8900016F000169DC0;Flag=5;"
            "CP=&&BeginTime=20160801080000;EndTime=20160801080000&&"
        ),
        frozenset(),
    ),
    Example(
        "C.21",
        (
            "QN=20160801085857223;ST=91;CN=9011;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&QnRtn=1&&"
        ),
        frozenset(),
    ),
    Example(
        "C.21",
        (
            "QN=20160801085857534;ST=32;CN=2061;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&DataTime=20160801080000;w00000-Cou=63.0,w00000-Min=16.4,w00000-Avg=17.5,w00"
            "000-Max=20.1,w00000-Flag=N;w01001-Min=7.1,w01001-Avg=7.5,w01001-Max=7.8,w01001-F"
            "lag=N;w01018-Cou=63.0,w01018-Min=40.1,w01018-Avg=40.1,w01018-Max=40.1,w01018-Fla"
            "g=N;…&&"
        ),
        frozenset({V.CP_FIELD_SYNTAX}),
    ),
    Example(
        "C.21",
        (
            "QN=20160801085857223;ST=91;CN=9012;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&ExeRtn=1&&"
        ),
        frozenset(),
    ),
    Example(
        "C.22",
        (
            "QN=20160801085857223;ST=32;CN=2031;PW=123456;MN=010000A8900016F000169DC0;Flag=5;"
            "CP=&&BeginTime=20160801000000;EndTime=20160801000000&&"
        ),
        frozenset(),
    ),
    Example(
        "C.22",
        (
            "QN=20160801085857223;ST=91;CN=9011;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&QnRtn=1&&"
        ),
        frozenset(),
    ),
    Example(
        "C.22",
        (
            "QN=20160801085857534,ST=32;CN=2031;PW=123456;MN=010000A8900016F000169DC0;Flag=5;"
            "CP=&&DataTime=20160801000000;w00000-Cou=1512.0,w00000-Min=16.4,w00000-Avg=17.5,w"
            "00000-Max=20.1,w00000-Flag=N;w01001-Min=7.1,w01001-Avg=7.5,w01001-Max=7.8,w01001"
            "-Flag=N;w01018-Cou=2142.0,w01018-Min=40.1,w01018-Avg=40.1,w01018-Max=40.1,w01018"
            "-Flag=N;…&&"
        ),
        frozenset({V.CP_FIELD_SYNTAX, V.SEGMENT_SEPARATOR}),
    ),
    Example(
        "C.22",
        (
            "QN=20160801085857223;ST=91;CN=9012;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&ExeRtn=1&&"
        ),
        frozenset(),
    ),
    Example(
        "C.23",
        (
            "QN=20160801085857223;ST=32;CN=2041;PW=123456;MN=010000A8900016F000169DC0;Flag=5;"
            "CP=&&BeginTime=20160801000000,EndTime=20160801000000&&"
        ),
        frozenset({V.CP_RECORD}),
    ),
    Example(
        "C.23",
        (
            "QN=20160801085857223;ST=91;CN=9011;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&QnRtn=1&&"
        ),
        frozenset(),
    ),
    Example(
        "C.23",
        (
            "QN=20160801085857534;ST=32;CN=2041;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&DataTime=20160801000000;SB1-RT=1.1;SB2-RT=2.1…&&"
        ),
        frozenset({V.NON_ASCII}),
    ),
    Example(
        "C.23",
        (
            "QN=20160801085857223;ST=91;CN=9012;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&ExeRtn=1&&"
        ),
        frozenset(),
    ),
    Example(
        "C.24",
        (
            "QN=20160801085857223;ST=32;CN=2081;PW=123456;MN=010000A8900016F000169DC0;Flag=5;"
            "CP=&&DataTime=20160801085857;RestartTime=20160801085624&&"
        ),
        frozenset(),
    ),
    Example(
        "C.24",
        ("QN=20160801085857223;ST=91;CN=9014;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&&&"),
        frozenset(),
    ),
    Example(
        "C.25",
        (
            "QN=20160801085857223;ST=23;CN=2011;PW=123456;MN=010000A8900016F000169DC0;Flag=5;"
            "CP=&&DataTime=20160801085857; LA-Rtd=50.1&&"
        ),
        frozenset({V.FIELD_WHITESPACE}),
    ),
    Example(
        "C.25",
        ("QN=20160801085857223;ST=91;CN=9014;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&&&"),
        frozenset(),
    ),
    Example(
        "C.26",
        (
            "QN=20160801085000001;ST=23;CN=2051;PW=123456;MN=010000A8900016F000169DC0;Flag=5;"
            "CP=&&DataTime=20160801084000;L5-Data=53.0;L10-Data=53.0;L50-Data=49.0;L90-Data=4"
            "5.0;L95-Data=43.0;Leq-Data=50.0;LMx-Data=54.0;LMn-Data=42.0&&"
        ),
        frozenset(),
    ),
    Example(
        "C.26",
        ("QN=20160801085000001;ST=91;CN=9014;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&&&"),
        frozenset(),
    ),
    Example(
        "C.27",
        (
            "QN=20160801090000001;ST=23;CN=2061;PW=123456;MN=010000A8900016F000169DC0;Flag=5;"
            "CP=&&DataTime=20160801080000;L5-Data=53.0;L10-Data=53.0;L50-Data=49.0;L90-Data=4"
            "5.0;L95-Data=43.0;Leq-Data=50.0;LMx-Data=54.0;LMn-Data=42.0&&"
        ),
        frozenset(),
    ),
    Example(
        "C.27",
        ("QN=20160801090000001;ST=91;CN=9014;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&&&"),
        frozenset(),
    ),
    Example(
        "C.28",
        (
            "QN=20160802000000001;ST=23;CN=2031;PW=123456;MN=010000A8900016F000169DC0;Flag=5;"
            "CP=&&DataTime=20160801000000;L5-Data=53.0;L10-Data=53.0;L50-Data=49.0;L90-Data=4"
            "5.0;L95-Data=43.0;Ldn-Data=50.0;LMx-Data=54.0;LMn-Data=42.0;L5-DayData=53.0;L10-"
            "DayData=53.0;L50-DayData=52.0;L90-DayData=51.0;L95-DayData=50.0;Ld-DayData=52.5;"
            "LMx-DayData=54.0;LMn-DayData=45.0;L5-NightData=53.0;L10-NightData=53.0;L50-Night"
            "Data=52.0;L90-NightData=51.0;L95-NightData=49.0;Ln-NightData=52.5;LMx-NightData="
            "54.0; LMn-NightData=42.0&&"
        ),
        frozenset({V.FIELD_WHITESPACE}),
    ),
    Example(
        "C.28",
        ("QN=20160802000000001;ST=91;CN=9014;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&&&"),
        frozenset(),
    ),
    Example(
        "C.29",
        (
            "QN=20160801085857223;ST=52;CN=2011;PW=123456;MN=010000A8900016F000169DC0;Flag=5;"
            "CP=&&DataTime=20160801085857;e01001-Rtd=1.1;e01001-Rtd=2.2…&&"
        ),
        frozenset({V.CP_DUPLICATE, V.CP_FACTOR_CODE, V.NON_ASCII}),
    ),
    Example(
        "C.29",
        ("QN=20160801085857223;ST=91;CN=9014;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&&&"),
        frozenset(),
    ),
    Example(
        "C.30",
        (
            "QN=20160801085857223;ST=32;CN=3011;PW=123456;MN=010000A8900016F000169DC0;Flag=5;"
            "CP=&&PolId=w01018&&"
        ),
        frozenset(),
    ),
    Example(
        "C.30",
        (
            "QN=20160801085857223;ST=91;CN=9011;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&QnRtn=1&&"
        ),
        frozenset(),
    ),
    Example(
        "C.30",
        (
            "QN=20160801085857223;ST=91;CN=9012;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&ExeRtn=1&&"
        ),
        frozenset(),
    ),
    Example(
        "C.31",
        (
            "QN=20160801085857223;ST=32;CN=3012;PW=123456;MN=010000A8900016F000169DC0;Flag=5;"
            "CP=&&PolId=w01018&&"
        ),
        frozenset(),
    ),
    Example(
        "C.31",
        (
            "QN=20160801085857223;ST=91;CN=9011;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&QnRtn=1&&"
        ),
        frozenset(),
    ),
    Example(
        "C.31",
        (
            "QN=20160801085857223;ST=91;CN=9012;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&ExeRtn=1&&"
        ),
        frozenset(),
    ),
    Example(
        "C.32",
        (
            "QN=20160801085857223;ST=32;CN=3013;PW=123456;MN=010000A8900016F000169DC0;Flag=5;"
            "CP=&&PolId=w01018&&"
        ),
        frozenset(),
    ),
    Example(
        "C.32",
        (
            "QN=20160801085857223;ST=91;CN=9011;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&QnRtn=1&&"
        ),
        frozenset(),
    ),
    Example(
        "C.32",
        (
            "QN=20160801085857223;ST=91;CN=9012;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&ExeRtn=1&&"
        ),
        frozenset(),
    ),
    Example(
        "C.33",
        (
            "QN=20160801085857223;ST=32;CN=3014;PW=123456;MN=010000A8900016F000169DC0;Flag=5;"
            "CP=&&PolId=w01018&&"
        ),
        frozenset(),
    ),
    Example(
        "C.33",
        (
            "QN=20160801085857223;ST=91;CN=9011;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&QnRtn=1&&"
        ),
        frozenset(),
    ),
    Example(
        "C.33",
        (
            "QN=20160801085857223;ST=91;CN=9012;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&ExeRtn=1&&"
        ),
        frozenset(),
    ),
    Example(
        "C.34",
        ("QN=20160801085857223;ST=32;CN=3015;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&&&"),
        frozenset(),
    ),
    Example(
        "C.34",
        (
            "QN=20160801085857223;ST=91;CN=9011;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&QnRtn=1&&"
        ),
        frozenset(),
    ),
    Example(
        "C.34",
        (
            "QN=20160801085857223;ST=32;CN=3015;PW=123456;MN=010000A8900016F000169DC0;Flag=5;"
            "CP=&& DataTime=20160801085857;VaseNo=1 &&"
        ),
        frozenset({V.FIELD_WHITESPACE}),
    ),
    Example(
        "C.34",
        (
            "QN=20160801085857223;ST=91;CN=9012;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&ExeRtn=1&&"
        ),
        frozenset(),
    ),
    Example(
        "C.35",
        (
            "QN=20160801085857223;ST=32;CN=3016;PW=123456;MN=010000A8900016F000169DC0;Flag=5;"
            "CP=&&PolId=w01018;CstartTime=000000;CTime=2&&"
        ),
        frozenset({V.CP_FIELD_NAME}),
    ),
    Example(
        "C.35",
        (
            "QN=20160801085857223;ST=91;CN=9011;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&QnRtn=1&&"
        ),
        frozenset(),
    ),
    Example(
        "C.35",
        (
            "QN=20160801085857223;ST=91;CN=9012;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&ExeRtn=1&&"
        ),
        frozenset(),
    ),
    Example(
        "C.36",
        (
            "QN=20160801085857223;ST=32;CN=3017;PW=123456;MN=010000A8900016F000169DC0;Flag=5;"
            "CP=&&PolId=w01018&&"
        ),
        frozenset(),
    ),
    Example(
        "C.36",
        (
            "QN=20160801085857223;ST=91;CN=9011;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&QnRtn=1&&"
        ),
        frozenset(),
    ),
    Example(
        "C.36",
        (
            "QN=20160801085857223;ST=32;CN=3017;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&PolId=w01018;CstartTime=000000;CTime=2&&"
        ),
        frozenset({V.CP_FIELD_NAME}),
    ),
    Example(
        "C.36",
        (
            "QN=20160801085857223;ST=91;CN=9012;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&ExeRtn=1&&"
        ),
        frozenset(),
    ),
    Example(
        "C.37",
        (
            "QN=20160801085857223;ST=32;CN=3018;PW=123456;MN=010000A8900016F000169DC0;Flag=5;"
            "CP=&&PolId=w01018&&"
        ),
        frozenset(),
    ),
    Example(
        "C.37",
        (
            "QN=20160801085857223;ST=91;CN=9011;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&QnRtn=1&&"
        ),
        frozenset(),
    ),
    Example(
        "C.37",
        (
            "QN=20160801085857223;ST=32;CN=3018;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&PolId=w01018;Stime=40&&"
        ),
        frozenset(),
    ),
    Example(
        "C.37",
        (
            "QN=20160801085857223;ST=91;CN=9012;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&ExeRtn=1&&"
        ),
        frozenset(),
    ),
    Example(
        "C.38",
        (
            "QN=20160801085857223;ST=32;CN=3019;PW=123456;MN=010000A8900016F000169DC0;Flag=5;"
            "CP=&&PolId=w01018&&"
        ),
        frozenset(),
    ),
    Example(
        "C.38",
        (
            "QN=20160801085857223;ST=91;CN=9011;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&QnRtn=1&&"
        ),
        frozenset(),
    ),
    Example(
        "C.38",
        (
            "QN=20160801085857223;ST=32;CN=3019;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&PolId=w01018;w01018-SN=010000A8900016F000169DC1&&"
        ),
        frozenset(),
    ),
    Example(
        "C.38",
        (
            "QN=20160801085857223;ST=91;CN=9012;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&ExeRtn=1&&"
        ),
        frozenset(),
    ),
    Example(
        "C.39",
        (
            "QN=20160801085857223;ST=32;CN=3019;PW=123456;MN=010000A8900016F000169DC0;Flag=5;"
            "CP=&&DataTime=20160801085857;PolId=w01018;w01018-SN=010000A8900016F000169DC1&&"
        ),
        frozenset(),
    ),
    Example(
        "C.39",
        ("QN=20160801085857223;ST=91;CN=9014;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&&&"),
        frozenset(),
    ),
    Example(
        "C.40",
        (
            "QN=20160801085857223;ST=32;CN=3020;PW=123456;MN=010000A8900016F000169DC0;Flag=5;"
            "CP=&&DataTime=20100301145000;PolId=w01018;i11001-Info=//清洗管路"
            "//&&"
        ),
        frozenset(),
    ),
    Example(
        "C.40",
        ("QN=20160801085857223;ST=91;CN=9014;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&&&"),
        frozenset(),
    ),
    Example(
        "C.41",
        (
            "QN=20160801085857223;ST=32;CN=3020;PW=123456;MN=010000A8900016F000169DC0;Flag=5;"
            "CP=&&PolId=w01018;InfoId=i11001;BeginTime=20160801010522,EndTime=20160801085857&"
            "&"
        ),
        frozenset({V.CP_RECORD}),
    ),
    Example(
        "C.41",
        (
            "QN=20160801085857223;ST=91;CN=9011;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&QnRtn=1&&"
        ),
        frozenset(),
    ),
    Example(
        "C.41",
        (
            "QN=20160801085857334;ST=32;CN=3020;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&DataTime=20160801062035;PolId=w01018;i11001-Info=//清洗管路"
            "//&&"
        ),
        frozenset(),
    ),
    Example(
        "C.41",
        (
            "QN=20160801085857335;ST=32;CN=3020;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&DataTime=20160801082857;PolId=w01018;i11001-Info=//时间校准"
            "//&&"
        ),
        frozenset(),
    ),
    Example(
        "C.41",
        (
            "QN=20160801085857223;ST=91;CN=9012;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&ExeRtn=1&&"
        ),
        frozenset(),
    ),
    Example(
        "C.42",
        (
            "QN=20160801085857223;ST=32;CN=3020;PW=123456;MN=010000A8900016F000169DC0;Flag=5;"
            "CP=&&DataTime=20100301145000;PolId=w01018;i12001-Info=1;i12003-Info =0&&"
        ),
        frozenset({V.FIELD_WHITESPACE}),
    ),
    Example(
        "C.42",
        ("QN=20160801085857223;ST=91;CN=9014;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&&&"),
        frozenset(),
    ),
    Example(
        "C.43",
        (
            "QN=20160801085857223;ST=32;CN=3020;PW=123456;MN=010000A8900016F000169DC0; Flag=5"
            ";CP=&&PolId=w01018;InfoId=i12001&&"
        ),
        frozenset({V.FIELD_WHITESPACE}),
    ),
    Example(
        "C.43",
        (
            "QN=20101110010101001;ST=91;CN=9011;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&QnRtn=1&&"
        ),
        frozenset(),
    ),
    Example(
        "C.43",
        (
            "QN=20160801085857223;ST=32;CN=3020;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&DataTime=20100301145000;PolId=w01018;i12001-Info=1&&"
        ),
        frozenset(),
    ),
    Example(
        "C.43",
        (
            "QN=20160801085857223;ST=91;CN=9012;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&ExeRtn=1&&"
        ),
        frozenset(),
    ),
    Example(
        "C.44",
        (
            "QN=20160801085857223;ST=32;CN=3020;PW=123456;MN=010000A8900016F000169DC0;Flag=5;"
            "CP=&&DataTime=20160801085857;PolId=w01018;i13004-Info=168.0; i13005-Info =40&&"
        ),
        frozenset({V.FIELD_WHITESPACE}),
    ),
    Example(
        "C.44",
        ("QN=20160801085857223;ST=91;CN=9014;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&&&"),
        frozenset(),
    ),
    Example(
        "C.45",
        (
            "QN=20160801085857223;ST=32;CN=3020;PW=123456;MN=010000A8900016F000169DC0;Flag=5;"
            "CP=&&PolId=w01018;InfoId=i13004&&"
        ),
        frozenset(),
    ),
    Example(
        "C.45",
        (
            "QN=20160801085857223;ST=91;CN=9011;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&QnRtn=1&&"
        ),
        frozenset(),
    ),
    Example(
        "C.45",
        (
            "QN=20160801085857223;ST=32;CN=3020;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&DataTime=20160801085857;PolId=w01018;i13004-Info=168.0 &&"
        ),
        frozenset({V.FIELD_WHITESPACE}),
    ),
    Example(
        "C.45",
        (
            "QN=20160801085857223;ST=91;CN=9012;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&ExeRtn=1&&"
        ),
        frozenset(),
    ),
    Example(
        "C.46",
        (
            "QN=20160801085857223;ST=32;CN=3021;PW=123456;MN=010000A8900016F000169DC0;Flag=5;"
            "CP=&&PolId=w01018;InfoId=i13004;i13004-Info=168.0&&"
        ),
        frozenset(),
    ),
    Example(
        "C.46",
        (
            "QN=20160801085857223;ST=91;CN=9011;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&QnRtn=1&&"
        ),
        frozenset(),
    ),
    Example(
        "C.46",
        (
            "QN=20160801085857223;ST=91;CN=9012;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&ExeRtn=1&&"
        ),
        frozenset(),
    ),
    Example(
        "C.47",
        (
            "QN=20160801085857223;ST=32;CN=2061;PW=123456;MN=010000A8900016F000169DC0;Flag=5;"
            "CP=&&BeginTime=20160801080000;EndTime=20160801080000&&"
        ),
        frozenset(),
    ),
    Example(
        "C.47",
        (
            "QN=20160801085857223;ST=91;CN=9011;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&QnRtn=1&&"
        ),
        frozenset(),
    ),
    Example(
        "C.47",
        (
            "QN=20160801085857534;ST=32;CN=2061;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&DataTime=20160801080000;w00000-Cou=63.0,w00000-Min=16.4,w00000-Avg=17.5,w00"
            "000-Max=20.1,w00000-Flag=N;w01001-Min=7.1,w01001-Avg=7.5,w01001-Max=7.8,w01001-F"
            "lag=N;w01018-Cou=63.0,w01018-Min=40.1,w01018-Avg=40.1,w01018-Max=40.1,w01018-Fla"
            "g=N;…&&"
        ),
        frozenset({V.CP_FIELD_SYNTAX}),
    ),
    Example(
        "C.47",
        (
            "QN=20160801085857223;ST=91;CN=9012;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&ExeRtn=1&&"
        ),
        frozenset(),
    ),
    Example(
        "C.48",
        (
            "QN=20160801085857223;ST=32;CN=2061;PW=123456;MN=010000A8900016F000169DC0;Flag=5;"
            "CP=&&BeginTime=20160801080000;EndTime=20160801080000&&"
        ),
        frozenset(),
    ),
    Example(
        "C.48",
        (
            "QN=20160801085857223;ST=91;CN=9011;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&QnRtn=1&&"
        ),
        frozenset(),
    ),
    Example(
        "C.48",
        (
            "QN=20160801085857534,ST=32;CN=2061;PW=123456;MN=010000A8900016F000169DC0;Flag=5;"
            "CP=&&DataTime=20160801080000;w00000-Cou=63.0,w00000-Min=16.4,w00000-Avg=17.5,w00"
            "000-Max=20.1,w00000-Flag=N;w01001-Min=7.1,w01001-Avg=7.5,w01001-Max=7.8,w01001-F"
            "lag=N;w01018-Cou=63.0,w01018-Min=40.1,w01018-Avg=40.1,w01018-Max=40.1,w01018-Fla"
            "g=N;…&&"
        ),
        frozenset({V.CP_FIELD_SYNTAX, V.SEGMENT_SEPARATOR}),
    ),
    Example(
        "C.48",
        ("QN=20160801085857534;ST=91;CN=9014;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&&&"),
        frozenset(),
    ),
    Example(
        "C.48",
        (
            "QN=20160801085857223;ST=91;CN=9012;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&ExeRtn=1&&"
        ),
        frozenset(),
    ),
    Example(
        "C.49",
        (
            "QN=20160801085857223;ST=32;CN=2061;PW=123456;MN=010000A8900016F000169DC0;Flag=5;"
            "CP=&&BeginTime=20160801080000;EndTime=20160801080000&&"
        ),
        frozenset(),
    ),
    Example(
        "C.49",
        (
            "QN=20160801085857223;ST=91;CN=9011;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&QnRtn=1&&"
        ),
        frozenset(),
    ),
    Example(
        "C.49",
        (
            "QN=20160801085857534;ST=32;CN=2061;PW=123456;MN=010000A8900016F000169DC0;Flag=6;"
            "PNUM=2;PNO=1;CP=&&DataTime=20160801080000;w00000-Cou=63.0,w00000-Min=16.4,w00000"
            "-Avg=17.5,w00000-Max=20.1,w00000-Flag=N;w01001-Min=7.1,w01001-Avg=7.5,w01001-Max"
            "=7.8,w01001-Flag=N;…&&"
        ),
        frozenset({V.CP_FIELD_SYNTAX}),
    ),
    Example(
        "C.49",
        (
            "QN=20160801085857535;ST=32;CN=2061;PW=123456;MN=010000A8900016F000169DC0;Flag=6;"
            "PNUM=2;PNO=2;CP=&&DataTime=20160801080000;w01018-Cou=63.0,w01018-Min=40.1,w01018"
            "-Avg=40.1,w01018-Max=40.1,w01018-Flag=N;…&&"
        ),
        frozenset({V.CP_FIELD_SYNTAX}),
    ),
    Example(
        "C.49",
        (
            "QN=20160801085857223;ST=91;CN=9012;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&ExeRtn=1&&"
        ),
        frozenset(),
    ),
    Example(
        "C.50",
        (
            "QN=20160801085857223;ST=32;CN=2061;PW=123456;MN=010000A8900016F000169DC0;Flag=5;"
            "CP=&&BeginTime=20160801080000;EndTime=20160801080000&&"
        ),
        frozenset(),
    ),
    Example(
        "C.50",
        (
            "QN=20160801085857223;ST=91;CN=9011;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            "CP=&&QnRtn=1&&"
        ),
        frozenset(),
    ),
    Example(
        "C.50",
        (
            "QN=20160801085857534;ST=32;CN=2061;PW=123456;MN=010000A8900016F000169DC0;Flag=7;"
            "PNUM=2;PNO=1;CP=&&DataTime=20160801080000;w00000-Cou=63.0,w00000-Min=16.4,w00000"
            "-Avg=17.5,w00000-Max=20.1,w00000-Flag=N;w01001-Min=7.1,w01001-Avg=7.5,w01001-Max"
            "=7.8,w01001-Flag=N;…&&"
        ),
        frozenset({V.CP_FIELD_SYNTAX}),
    ),
    Example(
        "C.50",
        ("QN=20160801085857534;ST=91;CN=9014;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&&&"),
        frozenset(),
    ),
    Example(
        "C.50",
        (
            "QN=20160801085857535;ST=32;CN=2061;PW=123456;MN=010000A8900016F000169DC0;Flag=7;"
            "PNUM=2;PNO=2;CP=&&DataTime=20160801080000;w01018-Cou=63.0,w01018-Min=40.1,w01018"
            "-Avg=40.1,w01018-Max=40.1,w01018-Flag=N;…&&"
        ),
        frozenset({V.CP_FIELD_SYNTAX}),
    ),
    Example(
        "C.50",
        ("QN=20160801085857535;ST=91;CN=9014;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&&&"),
        frozenset(),
    ),
]

APPENDIX_A_FRAME = (
    b"##0101QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;"
    b"CP=&&RtdInterval=30&&1C80\r\n"
)

CLEAN = [e for e in EXAMPLES if not e.defects]
DEFECTIVE = [e for e in EXAMPLES if e.defects]
ELLIPSIS_ONLY = [
    e
    for e in DEFECTIVE
    if "…" in e.text and e.defects <= {V.CP_FIELD_SYNTAX, V.NON_ASCII} and " " not in e.text
]


def _naive_fields(text: str) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Independent reference: header fields and CP fields by plain splitting."""
    head, _, rest = text.partition(";CP=&&")
    header = dict(item.split("=", 1) for item in head.split(";"))
    body = rest[:-2]
    fields = [tuple(f.split("=", 1)) for f in body.replace(";", ",").split(",")] if body else []
    return header, [(name, raw) for name, raw in fields]


def _concrete(text: str) -> str:
    """The example with the editorial ``…`` placeholder removed."""
    return text.replace(";…", "").replace("…", "")


def test_every_table_is_covered() -> None:
    assert {e.table for e in EXAMPLES} == {f"C.{n}" for n in range(1, 51)}
    assert len(EXAMPLES) == 154
    assert len(CLEAN) == 121


@pytest.mark.parametrize("example", CLEAN, ids=lambda e: e.table)
def test_clean_example_parses_strictly_and_rebuilds_identically(example: Example) -> None:
    frame = frame_segment(example.text)
    packet = parse_packet(frame, HJ212_2017, strict=True)
    segment = packet.segment
    header, fields = _naive_fields(example.text)
    assert segment.qn == header["QN"]
    assert segment.st == header["ST"]
    assert segment.cn == header["CN"]
    assert segment.pw == header["PW"]
    assert segment.mn == header["MN"]
    assert segment.flag == int(header["Flag"])
    assert segment.pnum == (int(header["PNUM"]) if "PNUM" in header else None)
    assert list(zip(segment.cp.names, segment.cp.raws, strict=True)) == fields
    assert build_packet(segment) == frame


@pytest.mark.parametrize("example", DEFECTIVE, ids=lambda e: e.table)
def test_defective_example_is_refused_strictly_and_read_tolerantly(example: Example) -> None:
    frame = frame_segment(example.text)
    with pytest.raises(HJ212Error) as refused:
        parse_packet(frame, HJ212_2017, strict=True)
    assert refused.value.codes == example.defects
    packet = parse_packet(frame, HJ212_2017, strict=False)
    assert {v.code for v in packet.violations} == example.defects
    assert all(v.position is not None and 6 <= v.position < len(frame) for v in packet.violations)
    assert packet.segment.cn is not None
    assert packet.segment.mn == "010000A8900016F000169DC0"


@pytest.mark.parametrize("example", ELLIPSIS_ONLY, ids=lambda e: e.table)
def test_ellipsis_examples_are_clean_once_made_concrete(example: Example) -> None:
    frame = frame_segment(_concrete(example.text))
    packet = parse_packet(frame, HJ212_2017, strict=True)
    assert build_packet(packet.segment) == frame


def test_appendix_a_example_round_trips_and_its_prose_crc_is_a_typo() -> None:
    packet = parse_packet(APPENDIX_A_FRAME, strict=True)
    assert packet.crc == "1C80"
    assert format_crc(crc16_hj212(APPENDIX_A_FRAME[6:-6])) == "1C80"  # the prose says 1C08
    assert packet.declared_length == 101
    assert packet.segment.cp.value("RtdInterval") == Decimal(30)
    assert build_packet(packet.segment) == APPENDIX_A_FRAME


def test_minute_data_c16_fields() -> None:
    text = _concrete(next(e.text for e in EXAMPLES if e.table == "C.16"))
    cp = parse_packet(frame_segment(text)).segment.cp
    assert cp.data_time == datetime(2016, 8, 1, 8, 40, tzinfo=BEIJING)
    factors = cp.factors()
    assert {k: f.value for k, f in factors["w00000"].items()} == {
        "Cou": Decimal("10.5"),
        "Min": Decimal("16.4"),
        "Avg": Decimal("17.5"),
        "Max": Decimal("20.1"),
        "Flag": "N",
    }
    assert {k: f.raw for k, f in factors["w01001"].items()} == {
        "Min": "7.1",
        "Avg": "7.5",
        "Max": "7.8",
        "Flag": "N",
    }
    records = cp.records()
    assert [r.code for r in records] == [None, "w00000", "w01001", "w01018"]


def test_split_flags_of_c49_and_c50() -> None:
    parts = [e for e in EXAMPLES if e.table in ("C.49", "C.50") and "PNUM" in e.text]
    for example in parts:
        segment = parse_packet(frame_segment(_concrete(example.text))).segment
        bits = segment.flag_bits
        assert bits is not None
        assert bits.version == 1
        assert bits.split
        assert bits.ack == (example.table == "C.50")
        assert segment.pnum == 2


def test_site_information_log_in_utf8() -> None:
    text = next(e.text for e in EXAMPLES if e.table == "C.40")
    frame = frame_segment(text)
    assert int(frame[2:6]) == len(text.encode("utf-8"))  # bytes, not characters (question 12)
    packet = parse_packet(frame)
    assert packet.segment.cp.value("i11001-Info") == "//清洗管路//"


def test_c43_request_answer_does_not_repeat_the_request_qn() -> None:
    c43 = [e.text for e in EXAMPLES if e.table == "C.43"]
    request = parse_packet(frame_segment(c43[0].replace("; Flag", ";Flag"))).segment
    answer = parse_packet(frame_segment(c43[1])).segment
    assert answer.cn == "9011"
    assert answer.qn != request.qn  # inconsistent with §6.3.2 ("replies carry the request's QN")
