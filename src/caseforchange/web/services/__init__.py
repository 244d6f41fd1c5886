"""Cross-app orchestration: work that spans several web apps, at the top of the web layers."""
