public enum VietText {}
