namespace Portal.Features.Account;

/// <summary>Marker for the account pages' strings (AccountText.resx, AccountText.fr.resx).</summary>
public sealed class AccountText;
