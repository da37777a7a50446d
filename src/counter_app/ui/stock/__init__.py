"""Staff pages of the stock area: restock (入库) and stocktake (盘点)."""
