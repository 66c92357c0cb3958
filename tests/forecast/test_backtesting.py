"""Reading the UCI Beijing files for the backtest: the history and the weather on one clock."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import polars as pl
import pytest

from ecogov.forecast import backtesting

HEADER = '"No","year","month","day","hour","PM2.5","PM10","SO2","NO2","CO","O3","TEMP","PRES",'
HEADER += '"DEWP","RAIN","wd","WSPM","station"'


def test_uci_history_and_weather_share_the_hour_ending_stamp(tmp_path: Path) -> None:
    (tmp_path / "PRSA_Data_Dongsi_20130301-20170228.csv").write_text(
        "\n".join(
            [
                HEADER,
                '1,2013,3,1,0,9,12,3,17,300,89,-0.5,1024.5,-21.4,0,"NNW",5.7,"Dongsi"',
                '2,2013,3,1,1,NA,10,3,16,400,88,NA,1025.1,-22.1,0.2,"NW",3.9,"Dongsi"',
            ]
        ),
        encoding="utf-8",
    )
    wide, met = backtesting.read_uci_folder(tmp_path)
    assert wide["station"].to_list() == ["1003A", "1003A"]
    assert wide["time"].to_list() == [datetime(2013, 3, 1, 0), datetime(2013, 3, 1, 1)]
    assert wide["PM2.5"].to_list() == [9.0, None]
    assert wide["CO"].to_list() == pytest.approx([0.3, 0.4])  # µg/m³ in the file
    one = met.filter(met["station"] == "1003A").sort("time")
    assert one["time"].to_list() == wide["time"].to_list()
    assert one["TEMP"].to_list() == [-0.5, None]
    assert one["RAIN"].to_list() == [0.0, 0.2]
    assert one["HUMI"].null_count() == 2  # the UCI files hold no humidity


def test_headline_keeps_the_first_columns_rounded_and_the_maes_asked_for() -> None:
    scores = pl.DataFrame(
        {
            "model": ["forecast"],
            "lead_day": [1],
            "cases": [10],
            "level_accuracy": [0.52345],
            "primary_accuracy": [0.71949],
            "mae_PM2.5": [25.46],
            "mae_O3_8H": [21.74],
            "bias_PM2.5": [-7.3],
        }
    )
    assert backtesting.headline(scores).row(0) == ("forecast", 1, 10, 0.523, 0.719, 25.5)
    assert backtesting.headline(scores, "mae_O3_8H").columns[-1] == "mae_O3_8H"
    assert backtesting.headline(scores, "mae_O3_8H").row(0)[-1] == 21.7
