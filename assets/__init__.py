"""Icons, images and style sheets shipped with wargame (package data)."""
