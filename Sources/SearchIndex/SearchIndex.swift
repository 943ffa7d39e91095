public enum SearchIndexModule {}
