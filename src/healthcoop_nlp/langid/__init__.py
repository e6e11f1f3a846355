"""langid"""
