"""The member self-service kiosk (便民服务卡): scan a card, see the points."""
