"""Solid and hazardous waste rules as data (GOVERNANCE.md §1): waste codes of the national
hazardous-waste list (国家危险废物名录), the transfer rules of 《危险废物转移管理办法》 (令第23号),
and the management classes of HJ 1259-2022."""
