import Archive

