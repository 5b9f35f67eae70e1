using Portal.Domain.Intake;
using Portal.Features.Intake;

namespace Portal.Tests.Features.Intake;

public sealed class IntakeValidationTests
{
    [Theory]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("<img src=x onerror=alert(1)>")]
    [InlineData("[click](javascript:alert(1)) javascript:alert(1)")]
    [InlineData("\u202Egnp.exe \u202Dtext\u2067isolate")]
    public void Markup_script_links_and_direction_overrides_are_kept_exactly_as_written(string account)
    {
        var errors = IntakeValidation.Validate(new IntakeForm { Account = account }, out var request, "fr");

        Assert.Empty(errors);
        Assert.Equal(account, request!.Account);
        Assert.Equal("fr", request.Language);
    }

    [Fact]
    public void Null_characters_are_refused_with_a_message_for_the_field()
    {
        var errors = IntakeValidation.Validate(new IntakeForm { Account = "before\0after", Area = "a\0" }, out var request, "en");

        Assert.Null(request);
        Assert.Equal("Error_NullCharacter", errors["account"]);
        Assert.Equal("Error_NullCharacter", errors["area"]);
        Assert.Equal("Error_NullCharacter", IntakeValidation.ValidateAddition("x\0"));
    }

    [Fact]
    public void The_account_is_required_and_limited_in_length()
    {
        Assert.Equal("Error_AccountRequired", IntakeValidation.Validate(new IntakeForm { Account = "  \n " }, out _, "en")["account"]);
        Assert.Equal("Error_AccountTooLong", IntakeValidation.Validate(new IntakeForm { Account = new string('a', IntakeSubmission.WhatHappenedMaxLength + 1) }, out _, "en")["account"]);
        Assert.Empty(IntakeValidation.Validate(new IntakeForm { Account = new string('a', IntakeSubmission.WhatHappenedMaxLength) }, out _, "en"));
        Assert.Equal("Error_AdditionRequired", IntakeValidation.ValidateAddition(" "));
        Assert.Equal("Error_AccountTooLong", IntakeValidation.ValidateAddition(new string('a', IntakeSubmission.AdditionMaxLength + 1)));
    }

    [Fact]
    public void Contact_details_are_optional_but_checked_when_given()
    {
        var none = IntakeValidation.Validate(new IntakeForm { Account = "help" }, out var request, "en");
        var bad = IntakeValidation.Validate(new IntakeForm { Account = "help", Email = "not an address", Phone = new string('1', 51), Country = "FR" }, out _, "en");

        Assert.Empty(none);
        Assert.Equal(new ContactDetails(null, null, null, null, false, null), request!.Contact);
        Assert.Equal(ChildBornAnswer.PreferNotToSay, request.ChildBorn);
        Assert.Equal("Error_Email", bad["email"]);
        Assert.Equal("Error_TooLong", bad["phone"]);
        Assert.Equal("Error_Country", bad["country"]);
    }

    [Fact]
    public void Chosen_kinds_of_help_and_a_served_country_carry_over()
    {
        var form = new IntakeForm { Account = "help", Medical = true, ChildSupport = true, Safety = true, Country = "HT", ChildBorn = ChildBornAnswer.Yes };

        IntakeValidation.Validate(form, out var request, "ht");
        IntakeValidation.Validate(new IntakeForm { Account = "help", Country = IntakeCountries.Elsewhere }, out var elsewhere, "en");

        Assert.Equal([HelpKind.Medical, HelpKind.ChildSupportOrPaternity, HelpKind.Safety], request!.Help);
        Assert.Equal("HT", request.CountryAnswer);
        Assert.Equal(ChildBornAnswer.Yes, request.ChildBorn);
        Assert.Null(elsewhere!.CountryAnswer);
        Assert.Equal("CD", IntakeCountries.QueueFor(elsewhere.CountryAnswer, "CD"));
    }
}
