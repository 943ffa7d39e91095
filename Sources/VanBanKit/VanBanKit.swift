public enum VanBanKitModule {}
